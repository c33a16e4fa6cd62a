import ArgumentParser
import Foundation
import BertBaseline
import Transformer
import Catalog

/// `tenfold export`: a checkpoint in another library's format.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a BERT-A checkpoint for Hugging Face transformers.",
        discussion: """
        Writes model.safetensors (BertForMaskedLM parameter names), config.json, vocab.txt and \
        tokenizer_config.json into --out, so that
          BertForMaskedLM.from_pretrained(DIR) and BertTokenizer.from_pretrained(DIR)
        load it. scripts/check_hf_export.py compares its fill-mask predictions with tenfold predict.
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
        let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint), registry: .standard)
        let (model, tokenizer) = (loaded.model, loaded.tokenizer)
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let tensors = try HuggingFaceExport.bertForMaskedLM(model)
        try SafetensorsFile(tensors: tensors, metadata: ["format": "pt"])
            .write(to: directory.appendingPathComponent("model.safetensors"))
        try Data(HuggingFaceExport.configJSON(model.config).utf8)
            .write(to: directory.appendingPathComponent("config.json"), options: .atomic)
        try tokenizer.vocabulary.write(to: directory.appendingPathComponent("vocab.txt"))
        try Data(HuggingFaceExport.tokenizerConfigJSON.utf8)
            .write(to: directory.appendingPathComponent("tokenizer_config.json"), options: .atomic)
        print("Wrote \(out)/model.safetensors (\(tensors.count) tensors), config.json, vocab.txt, tokenizer_config.json.")
    }
}
