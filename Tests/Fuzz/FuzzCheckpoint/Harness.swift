import Foundation
import FuzzSupport
import Tensors
import Text
import Transformer
import BertBaseline
import Finetuning

/// libFuzzer harness: the checkpoint loader on arbitrary bytes — the safetensors framing,
/// the checksums, the metadata (format, version, step, generator, configuration JSON,
/// vocabulary), the configuration's ranges and memory, the model rebuilt from it and one
/// fill-in-the-blank prediction; a fine-tuned classifier's reader too. Errors are passes.
///
/// Each input is read twice: with checksums, as users read it, and without, so that mutated
/// files reach the checks behind the checksums instead of stopping there.
///
/// Built as `FuzzSafetensors` is (see there); replays Tests/Fuzz/Corpora/checkpoint.
/// `FuzzCheckpoint --make-seeds Tests/Fuzz/Corpora` writes the seed checkpoints of a
/// two-update run of a micro model into `checkpoint/`, and its vocabulary into `vocabulary/`.
let registry = ModelRegistry.core
    .registering(positions: AbsolutePositions.name, summary: "BERT-A", factory: AbsolutePositions.factory)

func fuzz(_ bytes: UnsafeRawBufferPointer) {
    _ = try? Checkpoint(parsing: bytes, fileName: "fuzz.safetensors")
    guard let checkpoint = try? Checkpoint(parsing: bytes, fileName: "fuzz.safetensors", verifyingChecksums: false) else {
        return
    }
    if ClassifierCheckpoint.isClassifier(checkpoint) {
        _ = try? ClassifierCheckpoint.read(checkpoint, file: "fuzz.safetensors", registry: registry)
        return
    }
    guard let loaded = try? LoadedCheckpoint(checkpoint, file: "fuzz.safetensors", registry: registry) else { return }
    if let predictions = try? fillMask(loaded.model, tokenizer: loaded.tokenizer, text: "the [MASK] of [MASK]", topK: 2) {
        precondition(predictions.allSatisfy { $0.allSatisfy { $0.score.isFinite } }, "a non-finite score from finite weights")
    }
    _ = try? LoadedCheckpoint(checkpoint, file: "fuzz.safetensors", registry: registry, purpose: .training)
}

/// Seeds from real code paths: a micro vocabulary trained on the embedded corpus, a micro
/// model trained for two updates, its checkpoint as written, as version 2 without checksums,
/// and without optimizer state.
func makeSeeds(in corpora: URL) throws {
    let folder = corpora.appendingPathComponent("checkpoint")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let embedded = try Corpus.embedded()
    let documents = Corpus.embeddedSources.flatMap { source in embedded.documents.filter { $0.source == source }.prefix(8) }
    let corpus = Corpus(documents: documents)
    var trainer = WordPieceTrainer(vocabularySize: 200)
    trainer.reservedTokens = 0
    let vocabulary = try trainer.train(WordFrequencies(texts: corpus.paragraphs))
    let model = ModelConfiguration(vocabularySize: vocabulary.count, hiddenSize: 8, layers: 1, heads: 2,
                                   feedForwardSize: 16, maxSequenceLength: 16)
    let training = TrainingSettings(steps: 2, peakLearningRate: 1e-3, warmupSteps: 1, validationInterval: 2,
                                    checkpointInterval: 2, seed: 1)
    let configuration = RunConfiguration(model: model, training: training, batchSize: 2, dataSeed: 2)
    let run = try PretrainingRun(configuration: configuration, registry: registry, corpus: corpus,
                                 tokenizer: WordPieceTokenizer(vocabulary: vocabulary), outputDirectory: nil)
    try run.train()
    let checkpoint = try Checkpoint(config: configuration, step: 2, rng: SeededGenerator(seed: 3),
                                    parameters: run.model.parameters.values,
                                    firstMoments: run.trainer.optimizer.firstMoments,
                                    secondMoments: run.trainer.optimizer.secondMoments,
                                    metadata: [Checkpoint.vocabularyKey: vocabulary.fileText])
    try checkpoint.write(to: folder.appendingPathComponent("micro-run.safetensors"))
    var bare = checkpoint
    (bare.firstMoments, bare.secondMoments, bare.step) = ([:], [:], 0)
    try bare.write(to: folder.appendingPathComponent("micro-no-optimizer.safetensors"))
    var raw = try SafetensorsFile(contentsOf: folder.appendingPathComponent("micro-run.safetensors"))
    raw.metadata = raw.metadata.filter { !$0.key.hasPrefix("tenfold.crc32.") }
    raw.metadata[Checkpoint.Key.version] = "2"
    try raw.write(to: folder.appendingPathComponent("micro-version-2.safetensors"))
    try vocabulary.write(to: corpora.appendingPathComponent("vocabulary/micro-vocab.txt"))
}

@main
enum Harness {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.first == "--make-seeds", arguments.count == 2, let folder = arguments.last {
            return try makeSeeds(in: URL(fileURLWithPath: folder))
        }
        runFuzzHarness(fuzz)
    }
}
