import ArgumentParser
import Foundation
import BertBaseline
import Transformer
import Catalog
import Finetuning
import Tensors
import Text
import AtomicFiles

/// `tenfold export`: a checkpoint in another library's format.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a BERT-A checkpoint (any objective) for Hugging Face transformers.",
        discussion: """
        Writes model.safetensors, config.json, vocab.txt and tokenizer_config.json into --out. \
        A masked-LM checkpoint becomes a BertForMaskedLM; an ELECTRA or MC-BERT checkpoint its main \
        encoder alone, a BertModel (the generator or meta controller and the heads stay behind); \
        a classifier from tenfold finetune a BertForSequenceClassification, so that
          BertForMaskedLM.from_pretrained(DIR) (or BertModel, BertForSequenceClassification) and
          BertTokenizer.from_pretrained(DIR)
        load it. scripts/check_hf_export.py compares the fill-mask predictions with tenfold \
        predict, scripts/check_hf_classifier.py a classifier's outputs.
        """)

    @Option(help: "A BERT-A checkpoint written by tenfold train, a chapter or tenfold finetune.")
    var checkpoint: String

    @Option(help: "The export format (only \"huggingface\").")
    var format = "huggingface"

    @Option(help: "The folder to write.")
    var out: String

    @Flag(help: "Do not verify the checkpoint's checksums (faster for huge files; damage goes unnoticed).")
    var skipChecksums = false

    func validate() throws {
        guard !out.isEmpty else { throw ValidationError("--out must name a folder, not be empty") }
        guard format == "huggingface" else {
            throw ValidationError("unknown --format '\(format)'; the only one is huggingface")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: checkpoint)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw InputError("no checkpoint at \(checkpoint): check the path (tenfold train writes checkpoint.safetensors into its --out folder)")
        }
        let tensors: [String: Tensor], config: String, tokenizer: WordPieceTokenizer
        // Read once: the file says whether it is a classifier or a pre-training checkpoint.
        let file = try Checkpoint(contentsOf: url, verifyingChecksums: !skipChecksums)
        if ClassifierCheckpoint.isClassifier(file) {
            let (classifier, configuration, classifierTokenizer) = try ClassifierCheckpoint.read(file, file: url.path,
                                                                                                 registry: .standard)
            tensors = try HuggingFaceExport.bertForSequenceClassification(classifier)
            config = HuggingFaceExport.classifierConfigJSON(configuration)
            tokenizer = classifierTokenizer
        } else {
            let loaded = try LoadedCheckpoint(file, file: url.path, registry: .standard)
            if loaded.model.maskedLanguageModel != nil {
                tensors = try HuggingFaceExport.bertForMaskedLM(loaded.model)
                config = HuggingFaceExport.configJSON(loaded.model.config)
            } else {
                // ELECTRA's discriminator or MC-BERT's main model: what fine-tuning uses is the
                // encoder, so it goes out alone, as a BertModel; the helper network and the
                // objective's heads stay behind.
                tensors = try HuggingFaceExport.bertEncoder(loaded.model.encoder)
                config = HuggingFaceExport.configJSON(loaded.model.config, architecture: "BertModel")
            }
            tokenizer = loaded.tokenizer
        }
        let directory = URL(fileURLWithPath: out)
        // Each file is written atomically, into a folder created first (or a sentence saying why not).
        try AtomicFile.createFolder(containing: directory.appendingPathComponent("model.safetensors"))
        try SafetensorsFile(tensors: tensors, metadata: ["format": "pt"])
            .write(to: directory.appendingPathComponent("model.safetensors"))
        try AtomicFile.write(config, to: directory.appendingPathComponent("config.json"))
        try AtomicFile.write(tokenizer.vocabulary.fileText, to: directory.appendingPathComponent("vocab.txt"))
        try AtomicFile.write(HuggingFaceExport.tokenizerConfigJSON, to: directory.appendingPathComponent("tokenizer_config.json"))
        print("Wrote \(out)/model.safetensors (\(tensors.count) tensors), config.json, vocab.txt, tokenizer_config.json.")
    }
}
