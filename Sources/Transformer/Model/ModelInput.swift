import Tensors
import Text

/// A batch of token sequences as the model reads it.
///
///     let input = ModelInput(ids: ids, batchSize: 2, length: 8, lengths: [8, 5])
///     input.ids[b * input.length + t]       // [B, T], padding after lengths[b]
///
/// `ids` is row-major `[B, T]`; sequence `b` holds `lengths[b]` real tokens followed by
/// padding. More facts travel with it for the input seam (chapter 4's notes): the words'
/// token spans of each sequence (`wordSpans`, empty when unknown), the positions picked for
/// prediction (`maskedPositions`, flat `b·T + t` — masked, replaced or kept), where an input
/// augmentation must not reveal the answer, and the original tokens there
/// (`maskedOriginals`), so that `originalIds` is the uncorrupted batch. Introduced in Chapter 1.
public struct ModelInput: Sendable {
    public var ids: [Int32]               // [B, T]
    public var batchSize: Int             // B
    public var length: Int                // T
    public var lengths: [Int]             // [B], each in 1…T
    /// Each sequence's word spans in positions of its row; `[]` for a sequence without them. [B][W_b]
    public var wordSpans: [[WordSpan]]
    /// Flat positions `b·T + t` picked for prediction (masked, replaced or kept), ascending. [N]
    public var maskedPositions: [Int32]
    /// The original token at each of `maskedPositions`. [N]
    public var maskedOriginals: [Int32]

    public init(ids: [Int32], batchSize: Int, length: Int, lengths: [Int],
                wordSpans: [[WordSpan]]? = nil, maskedPositions: [Int32] = [], maskedOriginals: [Int32]? = nil) {
        precondition(ids.count == batchSize * length, "ids hold \(ids.count) tokens, not B·T = \(batchSize)·\(length)")
        precondition(lengths.count == batchSize, "need \(batchSize) lengths, got \(lengths.count)")
        precondition(wordSpans == nil || wordSpans!.count == batchSize, "need word spans for \(batchSize) sequences")
        precondition(maskedOriginals == nil || maskedOriginals!.count == maskedPositions.count,
                     "need one original token per masked position")
        self.ids = ids; self.batchSize = batchSize; self.length = length; self.lengths = lengths
        self.wordSpans = wordSpans ?? Array(repeating: [], count: batchSize)
        self.maskedPositions = maskedPositions
        self.maskedOriginals = maskedOriginals ?? maskedPositions.map { ids[Int($0)] }
    }

    /// The batch before corruption: `ids` with the original token back at every masked position. [B, T]
    public var originalIds: [Int32] {
        var original = ids
        for (position, token) in zip(maskedPositions, maskedOriginals) { original[Int(position)] = token }
        return original
    }
}

/// What a masked-language-model step predicts: the flat positions `b·T + t` of the chosen
/// tokens and their original ids. Introduced in Chapter 1.
public struct MaskedTargets: Sendable {
    public var positions: [Int32]   // [N]
    public var labels: [Int32]      // [N]
    public init(positions: [Int32], labels: [Int32]) {
        precondition(positions.count == labels.count, "\(positions.count) positions but \(labels.count) labels")
        self.positions = positions; self.labels = labels
    }
}
