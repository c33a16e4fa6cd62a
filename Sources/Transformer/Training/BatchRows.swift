import Text

extension TrainingBatch {
    /// Sequences `rows` of this batch as a batch of their own: the ids, lengths and word spans
    /// of those rows, and the picked positions that fall in them, renumbered from the first.
    /// How an update's batch is cut into micro-batches, and a global batch into ranks' shares.
    public func rows(_ rows: Range<Int>) -> TrainingBatch {
        precondition(rows.lowerBound >= 0 && rows.upperBound <= input.batchSize, "rows \(rows) of a batch of \(input.batchSize)")
        let T = input.length
        let low = Int32(rows.lowerBound * T), high = Int32(rows.upperBound * T)
        var positions: [Int32] = [], originals: [Int32] = [], labels: [Int32] = []
        for (k, position) in input.maskedPositions.enumerated() where position >= low && position < high {
            positions.append(position - low)
            originals.append(input.maskedOriginals[k])
        }
        for (k, position) in targets.positions.enumerated() where position >= low && position < high {
            labels.append(targets.labels[k])
        }
        let sliced = ModelInput(ids: Array(input.ids[(rows.lowerBound * T)..<(rows.upperBound * T)]),
                                batchSize: rows.count, length: T, lengths: Array(input.lengths[rows]),
                                wordSpans: Array(input.wordSpans[rows]), maskedPositions: positions,
                                maskedOriginals: originals)
        let targetPositions = targets.positions.filter { $0 >= low && $0 < high }.map { $0 - low }
        return TrainingBatch(input: sliced, targets: MaskedTargets(positions: targetPositions, labels: labels))
    }
}

extension ModelInput {
    /// Batches of the same length T one after the other, as one batch: rows in order, picked
    /// positions renumbered. What the input seam observes after an update made of micro-batches.
    public static func concatenating(_ parts: [ModelInput]) -> ModelInput {
        precondition(!parts.isEmpty, "nothing to concatenate")
        let T = parts[0].length
        var ids: [Int32] = [], lengths: [Int] = [], spans: [[WordSpan]] = [], positions: [Int32] = [], originals: [Int32] = []
        for part in parts {
            precondition(part.length == T, "batches of different lengths T")
            let offset = Int32(ids.count)
            ids += part.ids
            lengths += part.lengths
            spans += part.wordSpans
            positions += part.maskedPositions.map { $0 + offset }
            originals += part.maskedOriginals
        }
        return ModelInput(ids: ids, batchSize: lengths.count, length: T, lengths: lengths, wordSpans: spans,
                          maskedPositions: positions, maskedOriginals: originals)
    }
}

extension TrainingData {
    /// Sequences `rows` of the batch of update `step`. A source that can read a share of a
    /// batch without building the rest (`ShardData`) provides its own.
    public func trainingBatch(step: Int, rows: Range<Int>) -> TrainingBatch {
        let batch = trainingBatch(step: step)
        return rows == 0..<batch.input.batchSize ? batch : batch.rows(rows)
    }
}
