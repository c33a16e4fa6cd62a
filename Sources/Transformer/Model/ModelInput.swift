import Tensors
import Text

/// A batch of token sequences as the model reads it.
///
///     let input = ModelInput(ids: ids, batchSize: 2, length: 8, lengths: [8, 5])
///     input.ids[b * input.length + t]       // [B, T], padding after lengths[b]
///
/// `ids` is row-major `[B, T]`; sequence `b` holds `lengths[b]` real tokens followed by
/// padding. Two more facts travel with it for the input seam (chapter 4's notes):
/// the words' token spans of each sequence (`wordSpans`, empty when unknown) and the
/// positions whose token is not the original (`maskedPositions`, flat `b·T + t`), where an
/// input augmentation must not reveal the answer. Introduced in Chapter 1.
public struct ModelInput: Sendable {
    public var ids: [Int32]               // [B, T]
    public var batchSize: Int             // B
    public var length: Int                // T
    public var lengths: [Int]             // [B], each in 1…T
    /// Each sequence's word spans in positions of its row; `[]` for a sequence without them. [B][W_b]
    public var wordSpans: [[WordSpan]]
    /// Flat positions `b·T + t` that were masked or replaced, ascending. [N]
    public var maskedPositions: [Int32]

    public init(ids: [Int32], batchSize: Int, length: Int, lengths: [Int],
                wordSpans: [[WordSpan]]? = nil, maskedPositions: [Int32] = []) {
        precondition(ids.count == batchSize * length, "ids hold \(ids.count) tokens, not B·T = \(batchSize)·\(length)")
        precondition(lengths.count == batchSize, "need \(batchSize) lengths, got \(lengths.count)")
        precondition(wordSpans == nil || wordSpans!.count == batchSize, "need word spans for \(batchSize) sequences")
        self.ids = ids; self.batchSize = batchSize; self.length = length; self.lengths = lengths
        self.wordSpans = wordSpans ?? Array(repeating: [], count: batchSize)
        self.maskedPositions = maskedPositions
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
