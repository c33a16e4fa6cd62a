import ArgumentParser
import Foundation
import BertBaseline
import Transformer
import Catalog
import Finetuning
import Tensors
import Text

/// `tenfold export`: a checkpoint in another library's format.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a BERT-A checkpoint for Hugging Face transformers.",
        discussion: """
        Writes model.safetensors, config.json, vocab.txt and tokenizer_config.json into --out. \
        A pre-training checkpoint becomes a BertForMaskedLM, a classifier from tenfold finetune \
        a BertForSequenceClassification, so that
          BertForMaskedLM.from_pretrained(DIR) (or BertForSequenceClassification) and
          BertTokenizer.from_pretrained(DIR)
        load it. scripts/check_hf_export.py compares the fill-mask predictions with tenfold \
        predict, scripts/check_hf_classifier.py a classifier's outputs.
        """)

    @Option(help: "A BERT-A checkpoint written by tenfold train or chapter 1.")
    var checkpoint: String

    @Option(help: "The export format (only \"huggingface\").")
    var format = "huggingface"

    @Option(help: "The folder to write.")
    var out: String

    func validate() throws {
        guard format == "huggingface" else {
            throw ValidationError("unknown --format '\(format)'; the only one is huggingface")
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: checkpoint)
        let tensors: [String: Tensor], config: String, tokenizer: WordPieceTokenizer
        if FileManager.default.fileExists(atPath: url.path), ClassifierCheckpoint.isClassifier(try Checkpoint(contentsOf: url)) {
            let (classifier, configuration, classifierTokenizer) = try ClassifierCheckpoint.read(url, registry: .standard)
            tensors = try HuggingFaceExport.bertForSequenceClassification(classifier)
            config = HuggingFaceExport.classifierConfigJSON(configuration)
            tokenizer = classifierTokenizer
        } else {
            let loaded = try LoadedCheckpoint(contentsOf: url, registry: .standard)
            tensors = try HuggingFaceExport.bertForMaskedLM(loaded.model)
            config = HuggingFaceExport.configJSON(loaded.model.config)
            tokenizer = loaded.tokenizer
        }
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try SafetensorsFile(tensors: tensors, metadata: ["format": "pt"])
            .write(to: directory.appendingPathComponent("model.safetensors"))
        try Data(config.utf8)
            .write(to: directory.appendingPathComponent("config.json"), options: .atomic)
        try tokenizer.vocabulary.write(to: directory.appendingPathComponent("vocab.txt"))
        try Data(HuggingFaceExport.tokenizerConfigJSON.utf8)
            .write(to: directory.appendingPathComponent("tokenizer_config.json"), options: .atomic)
        print("Wrote \(out)/model.safetensors (\(tensors.count) tensors), config.json, vocab.txt, tokenizer_config.json.")
    }
}
