import ArgumentParser
import Foundation
import Text
import Transformer
import Catalog

/// `tenfold predict`: fill in the blanks with a trained checkpoint.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Top-k fill-mask predictions for every [MASK] in a text.",
        discussion: """
        Example:
          tenfold predict --checkpoint out/run/checkpoint.safetensors \\
            --text "the [MASK] sat on the mat" --top-k 5

        With --json: {"predictions": [[{"token": "cat", "score": 0.12}, …], …]}, one list \
        per [MASK].
        """)

    @Option(help: "A checkpoint written by tenfold train or a chapter (a model trained with the masked-LM objective).")
    var checkpoint: String

    @Option(help: "The text, with [MASK] where a word is missing.")
    var text: String

    @Option(help: "How many candidates per [MASK].")
    var topK: Int = 5

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1, not \(topK)") }
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint), registry: .standard)
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
}
