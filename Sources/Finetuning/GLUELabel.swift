/// A gold label or a prediction: a class of a classification task, by its position in the
/// task's `labels`, or the similarity score of STS-B.
///
///     GLUETask.mnli.labels                 // ["entailment", "neutral", "contradiction"]
///     let gold = GLUELabel.category(1)     // "neutral"
///     let similarity = GLUELabel.score(3.8)
///
/// A classifier's output unit i stands for `task.labels[i]`; for the 0/1 tasks the class is
/// the label's value ("0" is class 0). Introduced in Chapter 3.
public enum GLUELabel: Sendable, Hashable {
    /// A class, by its position in `GLUETask.labels`.
    case category(Int)
    /// A score of a regression task (STS-B: 0 for unrelated to 5 for equivalent).
    case score(Double)

    /// The class, or nil for a score.
    public var category: Int? {
        if case .category(let category) = self { return category }
        return nil
    }

    /// The score, or nil for a class.
    public var score: Double? {
        if case .score(let score) = self { return score }
        return nil
    }
}
