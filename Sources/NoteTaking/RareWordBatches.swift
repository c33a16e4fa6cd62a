import Text
import Transformer

extension RareWords {
    /// The sequences of `batches` that contain at least one rare word, regrouped into batches
    /// of at most `batchSize`, with their masking, labels and word spans: a validation set on
    /// which a model's loss says how well it reads the sentences TNF is about.
    ///
    ///     let rareValidation = rare.batchesContainingRareWords(data.validationBatches)
    ///     evaluate(model, rareValidation).loss
    ///
    /// Introduced in Chapter 4.
    public func batchesContainingRareWords(_ batches: [TrainingBatch], batchSize: Int = 32) -> [TrainingBatch] {
        struct Row { var ids: [Int32]; var length: Int; var spans: [WordSpan]; var picked: [(Int, Int32, Int32)] }
        var rows: [Row] = []
        var T = 0
        for batch in batches {
            let input = batch.input
            T = max(T, input.length)
            let containing = Set(occurrences(in: input).map(\.sequence))
            var labels: [Int32: Int32] = [:]
            for (position, label) in zip(batch.targets.positions, batch.targets.labels) { labels[position] = label }
            var originals: [Int32: Int32] = [:]
            for (position, original) in zip(input.maskedPositions, input.maskedOriginals) { originals[position] = original }
            for b in containing.sorted() {
                let start = b * input.length
                let picked = input.maskedPositions.filter { Int($0) / input.length == b }.map {
                    (Int($0) - start, originals[$0]!, labels[$0] ?? originals[$0]!)
                }
                rows.append(Row(ids: Array(input.ids[start..<(start + input.length)]), length: input.lengths[b],
                                spans: input.wordSpans[b], picked: picked))
            }
        }
        return stride(from: 0, to: rows.count, by: batchSize).map { first in
            let group = rows[first..<min(first + batchSize, rows.count)]
            var ids: [Int32] = [], positions: [Int32] = [], originals: [Int32] = [], labels: [Int32] = []
            for (b, row) in group.enumerated() {
                ids += row.ids + Array(repeating: 0, count: T - row.ids.count)
                for (t, original, label) in row.picked {
                    positions.append(Int32(b * T + t))
                    originals.append(original)
                    labels.append(label)
                }
            }
            let input = ModelInput(ids: ids, batchSize: group.count, length: T, lengths: group.map(\.length),
                                   wordSpans: group.map(\.spans), maskedPositions: positions, maskedOriginals: originals)
            return TrainingBatch(input: input, targets: MaskedTargets(positions: positions, labels: labels))
        }
    }
}
