import Foundation
import Text

/// H(validation labels ‖ training unigram): the cross-entropy of guessing every picked
/// token from its frequency in the training sequences, ignoring context — the loss a
/// masked-LM model reaches before it reads the sentence, with add-one smoothing over
/// ordinary tokens. NaN when the batches pick nothing. Introduced in Chapter 1.
public func unigramCrossEntropy(training: [TokenSequence], validation: [TrainingBatch],
                                vocabulary: Vocabulary) -> Float {
    var counts = [Double](repeating: 1, count: vocabulary.count)
    for id in vocabulary.tokens.indices where vocabulary.isSpecial[id] { counts[id] = 0 }
    for sequence in training { for id in sequence.ids where !vocabulary.isSpecial[Int(id)] { counts[Int(id)] += 1 } }
    let total = counts.reduce(0, +)
    var loss = 0.0, n = 0
    for batch in validation {
        for label in batch.targets.labels {
            loss -= Foundation.log(max(counts[Int(label)], 1) / total)
            n += 1
        }
    }
    return n == 0 ? .nan : Float(loss / Double(n))
}
