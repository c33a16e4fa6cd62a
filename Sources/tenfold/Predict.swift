import ArgumentParser
import Foundation
import Text
import Transformer
import Catalog
import Finetuning
import Tensors
import Autograd

/// `tenfold predict`: fill in the blanks with a pre-trained checkpoint, or classify with a
/// fine-tuned one.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Top-k fill-mask predictions for every [MASK] in a text, or a fine-tuned classifier's prediction.",
        discussion: """
        Examples:
          tenfold predict --checkpoint out/run/checkpoint.safetensors \\
            --text "the [MASK] sat on the mat" --top-k 5
          tenfold predict --checkpoint out/finetune/paraphrase/classifier.safetensors \\
            --text "he went home." --pair "he returned to his house."

        With --json, a pre-training checkpoint prints {"predictions": [[{"token": "cat", \
        "score": 0.12}, …], …]}, one list per [MASK]; a classifier prints {"outputs": […], \
        "prediction": "…"} — the head's outputs (logits, or the score) and the label.
        """)

    @Option(help: "A checkpoint written by tenfold train or a chapter (a model trained with the masked-LM objective).")
    var checkpoint: String

    @Option(help: "The text, with [MASK] where a word is missing.")
    var text: String

    @Option(help: "The second sentence of a pair (classifiers of pair tasks only).")
    var pair: String?

    @Option(help: "How many candidates per [MASK].")
    var topK: Int = 5

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Do not verify the checkpoint's checksums (faster for huge files; damage goes unnoticed).")
    var skipChecksums = false

    func validate() throws {
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1, not \(topK)") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: checkpoint)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputError("no checkpoint at \(checkpoint): check the path (tenfold train writes checkpoint.safetensors into its --out folder)")
        }
        // Read once: the file says whether it is a classifier or a pre-training checkpoint.
        let file = try Checkpoint(contentsOf: url, verifyingChecksums: !skipChecksums)
        if ClassifierCheckpoint.isClassifier(file) {
            return try classify(ClassifierCheckpoint.read(file, file: url.path, registry: .standard))
        }
        guard pair == nil else { throw ValidationError("--pair is for a fine-tuned classifier; \(checkpoint) is a pre-training checkpoint") }
        let loaded = try LoadedCheckpoint(file, file: url.path, registry: .standard)
        let predictions = try fillMask(loaded.model, tokenizer: loaded.tokenizer, text: text, topK: topK)
        if json {
            struct Output: Encodable { var predictions: [[FillMaskCandidate]] }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(Output(predictions: predictions)), as: UTF8.self))
        } else {
            for (i, candidates) in predictions.enumerated() {
                print("[MASK] #\(i + 1): " + candidates.map { String(format: "%@ %.3f", $0.token, $0.score) }.joined(separator: " · "))
            }
        }
    }

    /// A fine-tuned classifier's outputs and label for `--text` (and `--pair`).
    func classify(_ loaded: (classifier: SequenceClassifier, configuration: ClassifierConfiguration,
                             tokenizer: WordPieceTokenizer)) throws {
        let (classifier, configuration, tokenizer) = loaded
        let encoding = SentencePairEncoding(tokenizer: tokenizer, maxLength: classifier.config.maxSequenceLength)
        let input = encoding.input([encoding.ids(GLUEExample(index: 0, line: 0, sentence1: text, sentence2: pair))])
        var noDropout: SeededGenerator? = nil
        let outputs = Gradients.withoutRecording { classifier(input, rng: &noDropout).value.scalars }
        guard outputs.allSatisfy(\.isFinite) else {
            throw InputError("the classifier's outputs are not finite numbers (its weights overflow in the forward pass): "
                             + "the checkpoint is damaged or its fine-tuning diverged")
        }
        let label: String
        switch classifier.predict(input)[0] {
        case .category(let c): label = configuration.labels[c]
        case .score(let s): label = String(format: "%.3f", s)
        }
        if json {
            struct Output: Encodable { var outputs: [Float]; var prediction: String }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(Output(outputs: outputs, prediction: label)), as: UTF8.self))
        } else {
            print("\(configuration.task): \(label) (outputs \(outputs.map { String(format: "%.4f", $0) }.joined(separator: ", ")))")
        }
    }
}
