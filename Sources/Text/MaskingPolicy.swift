import Tensors

/// What a pre-training objective corrupts: which positions, and into what.
///
///     var rng = SeededGenerator(seed: 3)
///     let masked = MaskingPolicy.bert.apply(to: batch, vocabulary: vocabulary, using: &rng)
///     masked.corruptedIds   // the model's input [B, T]
///     masked.positions      // the predicted positions, b·T + t, ascending [P]
///     masked.labels         // the original ids there [P]
///
/// In each sequence, round(rate · n) of its n maskable tokens are picked (at least one when
/// n > 0), uniformly without replacement — a fixed count, as BERT's data generator does,
/// so P is steady from batch to batch. Special tokens ([CLS], [SEP], [PAD], [UNK], [MASK],
/// `[unusedN]`) are never picked. Each picked token then becomes [MASK] with probability
/// `maskShare`, a random ordinary token with probability `randomShare`, and stays unchanged
/// otherwise:
///
/// | policy | rate | [MASK] | random | unchanged | used by |
/// | --- | --- | --- | --- | --- | --- |
/// | `.bert` | 15% | 80% | 10% | 10% | MLM (Devlin et al., 2019, §3.1) |
/// | `.electra` | 15% | 85% | 0% | 15% | the ELECTRA generator's input (Clark et al., 2020) |
/// | `.allMask` | 15% | 100% | 0% | 0% | MC-BERT's meta controller input (Xu et al., 2020) |
///
/// Introduced in Chapter 1 (Text pipeline).
public struct MaskingPolicy: Sendable, Equatable {
    /// A name for tables and logs.
    public var name: String
    /// The share of maskable tokens picked for prediction.
    public var rate: Double
    /// Of the picked tokens, the share replaced by [MASK].
    public var maskShare: Double
    /// Of the picked tokens, the share replaced by a random ordinary token.
    public var randomShare: Double

    public init(name: String, rate: Double, maskShare: Double, randomShare: Double) {
        precondition((0...1).contains(rate) && maskShare >= 0 && randomShare >= 0 && maskShare + randomShare <= 1,
                     "masking shares must be probabilities")
        self.name = name
        self.rate = rate
        self.maskShare = maskShare
        self.randomShare = randomShare
    }

    /// BERT: 15%; 80% [MASK], 10% random, 10% unchanged.
    public static let bert = MaskingPolicy(name: "BERT", rate: 0.15, maskShare: 0.8, randomShare: 0.1)
    /// ELECTRA: 15%; 85% [MASK], 15% unchanged.
    public static let electra = MaskingPolicy(name: "ELECTRA", rate: 0.15, maskShare: 0.85, randomShare: 0)
    /// MC-BERT: 15%, all [MASK].
    public static let allMask = MaskingPolicy(name: "all-[MASK]", rate: 0.15, maskShare: 1, randomShare: 0)

    /// Corrupts a batch.
    public func apply(to batch: Batch, vocabulary: Vocabulary, using rng: inout SeededGenerator) -> MaskedBatch {
        apply(ids: batch.ids, batchSize: batch.batchSize, length: batch.length, vocabulary: vocabulary, using: &rng)
    }

    /// Corrupts `ids`, B rows of T tokens.
    ///
    /// - Parameters:
    ///   - ids: token ids. [B, T]
    ///   - rng: the generator every draw comes from (picks, then replacement kinds and ids,
    ///     row by row), so the same seed gives the same corruption.
    public func apply(ids: [Int32], batchSize: Int, length: Int, vocabulary: Vocabulary,
                      using rng: inout SeededGenerator) -> MaskedBatch {
        precondition(ids.count == batchSize * length, "ids must be [B, T]")
        var corrupted = ids
        var positions: [Int32] = []
        var labels: [Int32] = []
        var candidates: [Int] = []
        for b in 0..<batchSize {
            candidates.removeAll(keepingCapacity: true)
            for t in 0..<length where !vocabulary.isSpecial[Int(ids[b * length + t])] {
                candidates.append(b * length + t)
            }
            guard !candidates.isEmpty else { continue }
            let count = min(candidates.count, max(1, Int((rate * Double(candidates.count)).rounded())))
            // Partial Fisher–Yates: the first `count` entries become a uniform sample.
            for k in 0..<count {
                let j = Int.random(in: k..<candidates.count, using: &rng)
                candidates.swapAt(k, j)
            }
            for position in candidates[0..<count].sorted() {
                positions.append(Int32(position))
                labels.append(ids[position])
                let u = Double(rng.nextFloat())
                if u < maskShare {
                    corrupted[position] = vocabulary.maskId
                } else if u < maskShare + randomShare {
                    let pool = vocabulary.ordinaryIds
                    corrupted[position] = pool[Int.random(in: 0..<pool.count, using: &rng)]
                }
            }
        }
        return MaskedBatch(corruptedIds: corrupted, positions: positions, labels: labels,
                           batchSize: batchSize, length: length)
    }
}

/// A batch after masking: the corrupted input and what is to be predicted where.
///
/// Introduced in Chapter 1 (Text pipeline).
public struct MaskedBatch: Equatable, Sendable {
    /// The model's input ids. [B, T]
    public var corruptedIds: [Int32]
    /// The predicted positions, flat (b·T + t), ascending. [P]
    public var positions: [Int32]
    /// The original id at each predicted position. [P]
    public var labels: [Int32]
    public let batchSize: Int
    public let length: Int
}
