import Transformer
import NaiveAttention
import ExpandedAttention
import UntiedAttention

/// The position schemes this build knows, by the name stored in checkpoints
/// (`ModelConfiguration.architecture`). Each chapter's module adds its own.
enum Architectures {
    static let all: [(name: String, summary: String, factory: PositionEncodingFactory)] = [
        ("bert-a", "BERT with learned absolute positions added to the words (chapter 1)", AbsolutePositions.factory),
        (UntiedFourTermPositions.architecture,
         "BERT-A^d: all four word/position terms, positions with their own projections (chapter 2)",
         UntiedFourTermPositions.factory),
        (RelativePositions.architecture, "BERT-R: BERT-A plus T5's relative bias (chapter 3)", RelativePositions.factory),
        (UntiedPositions.absoluteArchitecture,
         "TUPE-A: positions untied from words, one positional term shared by all layers, [CLS] untied (chapter 3)",
         UntiedPositions.absoluteFactory),
        (UntiedPositions.relativeArchitecture, "TUPE-R: TUPE-A plus T5's relative bias (chapter 3)",
         UntiedPositions.relativeFactory),
    ]

    static var names: [String] { all.map(\.name) }

    static func factory(_ name: String) -> PositionEncodingFactory? {
        all.first { $0.name == name }?.factory
    }
}
