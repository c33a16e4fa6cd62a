import Tensors
import Autograd
import Text

/// One candidate for a `[MASK]`: a token and its probability.
public struct FillMaskCandidate: Codable, Equatable, Sendable {
    public var token: String
    public var score: Float
}

/// Fill-in-the-blank: the model's top-k tokens for every `[MASK]` in a text.
///
///     let predictions = try fillMask(model, tokenizer: tokenizer, text: "the [MASK] sat on the mat", topK: 5)
///     predictions[0].map(\.token)     // e.g. ["cat", "man", …]
///
/// The text is split at the literal `[MASK]`, each piece is encoded by the tokenizer, the
/// pieces are joined with the mask id and wrapped as `[CLS] … [SEP]`; the model runs
/// without dropout, and the softmax over the vocabulary at each mask gives the scores.
///
/// It serves models trained with the masked-LM objective (their head predicts any token of
/// the vocabulary); other objectives have no such head, and are refused with a message.
/// Introduced in Chapter 1.
public func fillMask(_ model: PretrainingModel, tokenizer: WordPieceTokenizer, text: String,
                     topK: Int) throws -> [[FillMaskCandidate]] {
    guard let head = model.maskedLanguageModel else {
        throw InputError("fill-in-the-blank needs a model trained with the masked-LM objective; this one was trained with '\(model.config.objective)'")
    }
    let vocabulary = tokenizer.vocabulary
    var ids: [Int32] = [vocabulary.clsId]
    let pieces = text.components(separatedBy: "[MASK]")
    for (i, piece) in pieces.enumerated() {
        tokenizer.appendIds(piece, to: &ids)
        if i < pieces.count - 1 { ids.append(vocabulary.maskId) }
    }
    ids.append(vocabulary.sepId)
    guard pieces.count > 1 else {
        throw InputError("the text has no [MASK] to fill: write [MASK] where a word is missing")
    }
    guard ids.count <= model.config.maxSequenceLength else {
        throw InputError("the text is \(ids.count) tokens long; this model reads at most \(model.config.maxSequenceLength): shorten it")
    }
    guard topK >= 1 else { throw InputError("--top-k must be at least 1") }
    guard vocabulary.count == model.config.vocabularySize else {
        throw InputError("the tokenizer's vocabulary has \(vocabulary.count) tokens and the model's \(model.config.vocabularySize): "
                         + "use the vocabulary the model was trained with")
    }
    let positions = ids.indices.filter { ids[$0] == vocabulary.maskId }.map { Int32($0) }
    let probabilities = Gradients.withoutRecording {
        var noDropout: SeededGenerator? = nil
        let input = ModelInput(ids: ids, batchSize: 1, length: ids.count, lengths: [ids.count])
        let hidden = model.encoder(input, rng: &noDropout).hidden
        return softmax(head.predictionLogits(hidden, at: positions)).value   // [N, V]
    }
    // Finite weights can still overflow (a damaged or diverged checkpoint): no ranking of NaNs.
    guard probabilities.withUnsafeBufferPointer({ $0.allSatisfy(\.isFinite) }) else {
        throw InputError("the model's predictions are not finite numbers (its weights overflow in the forward pass): "
                         + "the checkpoint is damaged or its training diverged; use an earlier checkpoint")
    }
    let V = probabilities.shape[1]
    return (0..<positions.count).map { row in
        let p = probabilities.pointer + row * V
        let best = (0..<V).filter { !vocabulary.isSpecial[$0] }
            .sorted { p[$0] > p[$1] || (p[$0] == p[$1] && $0 < $1) }
            .prefix(topK)
        return best.map { FillMaskCandidate(token: vocabulary.tokens[$0], score: p[$0]) }
    }
}
