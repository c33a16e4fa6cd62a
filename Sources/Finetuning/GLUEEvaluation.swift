extension GLUETask {
    /// The task's metrics for `predictions` against the gold `labels`.
    ///
    ///     let report = try GLUETask.cola.report(predictions: [.category(1), .category(0)],
    ///                                           labels: [.category(1), .category(1)])
    ///     report[.matthewsCorrelation]   // 0: every gold label is the same class
    ///
    /// CoLA: MCC of class 1 against class 0. SST-2, MNLI, QNLI, RTE, WNLI: accuracy. MRPC and
    /// QQP: F1 of class 1 ("1": paraphrase, duplicate) and accuracy. STS-B: Pearson and
    /// Spearman correlation of the scores.
    ///
    /// - Parameters:
    ///   - predictions: one `GLUELabel` per example, of the task's kind.
    ///   - labels: the gold labels, in the same order.
    ///   - name: the report's name; the task's name by default.
    ///   - path: the file the labels came from, for error messages.
    /// - Throws: `GLUEPredictionError` when the counts differ or a prediction or label does not
    ///   fit the task.
    /// Introduced in Chapter 3.
    public func report(predictions: [GLUELabel], labels: [GLUELabel], name: String? = nil,
                       path: String = "the gold labels") throws -> MetricReport {
        guard predictions.count == labels.count else {
            throw GLUEPredictionError.countMismatch(task: self.name, path: path,
                                                    predictions: predictions.count, examples: labels.count)
        }
        let reportName = name ?? self.name
        switch kind {
        case .regression:
            let predicted = try scores(predictions)
            let gold = try scores(labels)
            return MetricReport(name: reportName, values: [
                .pearson: pearsonCorrelation(predicted, gold),
                .spearman: spearmanCorrelation(predicted, gold),
            ], order: metrics)
        case .classification:
            let predicted = try categories(predictions)
            let gold = try categories(labels)
            var values: [GLUEMetric: Double] = [:]
            for metric in metrics {
                switch metric {
                case .accuracy: values[metric] = accuracy(predictions: predicted, labels: gold)
                case .f1: values[metric] = f1Score(predictions: predicted, labels: gold).f1
                case .matthewsCorrelation: values[metric] = matthewsCorrelation(predictions: predicted, labels: gold)
                case .pearson, .spearman: preconditionFailure("\(self.name) is not a regression task")
                }
            }
            return MetricReport(name: reportName, values: values, order: metrics)
        }
    }

    /// The scores of `labels`, each checked to be a finite number.
    private func scores(_ labels: [GLUELabel]) throws -> [Double] {
        try labels.enumerated().map { position, label in
            guard let score = label.score else {
                throw GLUEPredictionError.wrongKind(task: name, position: position, expected: "a score (.score)")
            }
            guard score.isFinite else { throw GLUEPredictionError.nonFiniteScore(task: name, position: position) }
            return score
        }
    }

    /// The classes of `labels`, each checked to be one of the task's.
    private func categories(_ labels: [GLUELabel]) throws -> [Int] {
        try labels.enumerated().map { position, label in
            guard let category = label.category else {
                throw GLUEPredictionError.wrongKind(task: name, position: position, expected: "a class (.category)")
            }
            guard self.labels.indices.contains(category) else {
                throw GLUEPredictionError.categoryOutOfRange(task: name, position: position,
                                                             category: category, labels: self.labels)
            }
            return category
        }
    }
}

extension GLUEDataset {
    /// The task's metrics for one prediction per example, against the examples' gold labels.
    ///
    ///     let dev = try GLUEReader(task: .mrpc, folder: folder).read(.dev)
    ///     let predictions: [GLUELabel] = dev.examples.map { _ in .category(1) }
    ///     print(try dev.evaluate(predictions))   // "MRPC: F1 81.2, accuracy 68.4 (score 74.8)"
    ///
    /// - Parameter predictions: one `GLUELabel` per example, in the order of `examples`.
    /// - Returns: the report, named "MNLI-m" / "MNLI-mm" for MNLI's matched and mismatched files.
    /// - Throws: `GLUEPredictionError`, also when an example has no label (a test file).
    /// Introduced in Chapter 3.
    public func evaluate(_ predictions: [GLUELabel]) throws -> MetricReport {
        var labels: [GLUELabel] = []
        labels.reserveCapacity(examples.count)
        for example in examples {
            guard let label = example.label else {
                throw GLUEPredictionError.missingLabel(task: task.name, path: path, line: example.line)
            }
            labels.append(label)
        }
        return try task.report(predictions: predictions, labels: labels, name: resultName, path: path)
    }
}
