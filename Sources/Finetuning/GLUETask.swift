/// One of the nine tasks of the GLUE benchmark: its files, where their columns are, its
/// labels, and the metrics it is scored by.
///
///     let task = GLUETask.rte
///     task.labels                  // ["entailment", "not_entailment"]
///     task.metrics                 // [.accuracy]
///     task.splits                  // [.train, .dev, .test]
///     GLUETask.named("sts-b")      // GLUETask.stsb
///
/// The layouts follow the files of the GLUE distribution (the `download_glue_data.py` zips,
/// MRPC built from Microsoft's release by the same script):
///
/// | task  | sentence 1 / sentence 2       | label           | labels                     | metric       |
/// |-------|-------------------------------|-----------------|----------------------------|--------------|
/// | CoLA  | column 4 (no header)          | column 2        | 0, 1                       | MCC          |
/// | SST-2 | sentence                      | label           | 0, 1                       | accuracy     |
/// | MRPC  | #1 String / #2 String         | Quality         | 0, 1                       | F1, accuracy |
/// | STS-B | sentence1 / sentence2         | score           | a number from 0 to 5       | Pearson, Spearman |
/// | QQP   | question1 / question2         | is_duplicate    | 0, 1                       | F1, accuracy |
/// | MNLI  | sentence1 / sentence2         | gold_label      | entailment, neutral, contradiction | accuracy |
/// | QNLI  | question / sentence           | label           | entailment, not_entailment | accuracy     |
/// | RTE   | sentence1 / sentence2         | label           | entailment, not_entailment | accuracy     |
/// | WNLI  | sentence1 / sentence2         | label           | 0, 1                       | accuracy     |
///
/// CoLA's train.tsv and dev.tsv are the only files without a header: four columns, source,
/// label, the original annotation (`*` or empty) and the sentence; its test.tsv has the header
/// `index  sentence`. Test files carry an index column (`id` in QQP) and no label. MNLI's
/// evaluation files come in pairs: dev_matched.tsv and dev_mismatched.tsv, test_matched.tsv
/// and test_mismatched.tsv. Introduced in Chapter 3.
public struct GLUETask: Sendable, Hashable, CustomStringConvertible {
    /// Whether the task predicts one of a few labels or a number.
    public enum Kind: Sendable, Hashable {
        /// One of `labels`, predicted as its position (`GLUELabel.category`).
        case classification(labels: [String])
        /// A number in `range` (`GLUELabel.score`).
        case regression(range: ClosedRange<Double>)
    }

    /// The task's name as GLUE writes it: "CoLA", "SST-2", "MNLI", ….
    public let name: String
    /// Classification with its labels, or regression with its range.
    public let kind: Kind
    /// The metrics GLUE reports; the task's score is their mean.
    public let metrics: [GLUEMetric]
    /// The files of the task folder.
    public let splits: [GLUESplit]
    /// The layout of the training and development files.
    let labelledLayout: GLUEFileLayout
    /// The layout of the test files.
    let testLayout: GLUEFileLayout
    /// Whether lines with the wrong number of columns in the training and development files are
    /// skipped (and listed) instead of refused: only QQP, whose original train.tsv holds a few
    /// questions broken over two lines.
    public let skipsMalformedLines: Bool

    /// The labels of a classification task, in class order; empty for regression.
    public var labels: [String] {
        if case .classification(let labels) = kind { return labels }
        return []
    }

    /// Whether the task predicts a number rather than a class.
    public var isRegression: Bool {
        if case .regression = kind { return true }
        return false
    }

    /// Where the columns of `split`'s file are.
    public func layout(for split: GLUESplit) -> GLUEFileLayout {
        split.isTest ? testLayout : labelledLayout
    }

    /// The name results on `split` go by: "MNLI-m" and "MNLI-mm" for MNLI's matched and
    /// mismatched files, as on GLUE's leaderboard, the task's name otherwise.
    public func resultName(for split: GLUESplit) -> String {
        switch split {
        case .devMatched, .testMatched: return name + "-m"
        case .devMismatched, .testMismatched: return name + "-mm"
        case .train, .dev, .test: return name
        }
    }

    public var description: String { name }

    /// The task whose name is `name`, ignoring case, hyphens and underscores ("sst2", "STS-B",
    /// "mnli"); nil for an unknown name.
    public static func named(_ name: String) -> GLUETask? {
        let key = normalised(name)
        return all.first { normalised($0.name) == key }
    }

    private static func normalised(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "-" && $0 != "_" })
    }

    // MARK: The nine tasks

    static let binary = ["0", "1"]
    static let standardSplits: [GLUESplit] = [.train, .dev, .test]

    /// The Corpus of Linguistic Acceptability: is the sentence grammatical (1) or not (0)?
    public static let cola = GLUETask(
        name: "CoLA", kind: .classification(labels: binary), metrics: [.matthewsCorrelation],
        splits: standardSplits,
        labelledLayout: .headerless(columns: 4, sentence1: 3, label: 1),
        testLayout: .header(sentence1: "sentence", index: "index"),
        skipsMalformedLines: false)

    /// The Stanford Sentiment Treebank, binary: is the phrase positive (1) or negative (0)?
    public static let sst2 = GLUETask(
        name: "SST-2", kind: .classification(labels: binary), metrics: [.accuracy],
        splits: standardSplits,
        labelledLayout: .header(sentence1: "sentence", label: "label"),
        testLayout: .header(sentence1: "sentence", index: "index"),
        skipsMalformedLines: false)

    /// The Microsoft Research Paraphrase Corpus: do the two sentences say the same (1)?
    public static let mrpc = GLUETask(
        name: "MRPC", kind: .classification(labels: binary), metrics: [.f1, .accuracy],
        splits: standardSplits,
        labelledLayout: .header(sentence1: "#1 String", sentence2: "#2 String", label: "Quality"),
        testLayout: .header(sentence1: "#1 String", sentence2: "#2 String", index: "index"),
        skipsMalformedLines: false)

    /// The Semantic Textual Similarity Benchmark: how alike are the sentences, from 0 to 5?
    public static let stsb = GLUETask(
        name: "STS-B", kind: .regression(range: 0...5), metrics: [.pearson, .spearman],
        splits: standardSplits,
        labelledLayout: .header(sentence1: "sentence1", sentence2: "sentence2", label: "score",
                                index: "index"),
        testLayout: .header(sentence1: "sentence1", sentence2: "sentence2", index: "index"),
        skipsMalformedLines: false)

    /// Quora Question Pairs: do the two questions ask the same (1)?
    public static let qqp = GLUETask(
        name: "QQP", kind: .classification(labels: binary), metrics: [.f1, .accuracy],
        splits: standardSplits,
        labelledLayout: .header(sentence1: "question1", sentence2: "question2", label: "is_duplicate",
                                index: "id"),
        testLayout: .header(sentence1: "question1", sentence2: "question2", index: "id"),
        skipsMalformedLines: true)

    /// Multi-Genre Natural Language Inference: does the premise entail the hypothesis,
    /// contradict it, or neither?
    public static let mnli = GLUETask(
        name: "MNLI", kind: .classification(labels: ["entailment", "neutral", "contradiction"]),
        metrics: [.accuracy],
        splits: [.train, .devMatched, .devMismatched, .testMatched, .testMismatched],
        labelledLayout: .header(sentence1: "sentence1", sentence2: "sentence2", label: "gold_label",
                                index: "index"),
        testLayout: .header(sentence1: "sentence1", sentence2: "sentence2", index: "index"),
        skipsMalformedLines: false)

    /// Question NLI, from SQuAD: does the sentence answer the question?
    public static let qnli = GLUETask(
        name: "QNLI", kind: .classification(labels: ["entailment", "not_entailment"]),
        metrics: [.accuracy], splits: standardSplits,
        labelledLayout: .header(sentence1: "question", sentence2: "sentence", label: "label",
                                index: "index"),
        testLayout: .header(sentence1: "question", sentence2: "sentence", index: "index"),
        skipsMalformedLines: false)

    /// Recognising Textual Entailment: does the first sentence entail the second?
    public static let rte = GLUETask(
        name: "RTE", kind: .classification(labels: ["entailment", "not_entailment"]),
        metrics: [.accuracy], splits: standardSplits,
        labelledLayout: .header(sentence1: "sentence1", sentence2: "sentence2", label: "label",
                                index: "index"),
        testLayout: .header(sentence1: "sentence1", sentence2: "sentence2", index: "index"),
        skipsMalformedLines: false)

    /// Winograd NLI: with the pronoun replaced, is the sentence still entailed (1)?
    public static let wnli = GLUETask(
        name: "WNLI", kind: .classification(labels: binary), metrics: [.accuracy],
        splits: standardSplits,
        labelledLayout: .header(sentence1: "sentence1", sentence2: "sentence2", label: "label",
                                index: "index"),
        testLayout: .header(sentence1: "sentence1", sentence2: "sentence2", index: "index"),
        skipsMalformedLines: false)

    /// The nine tasks, in the order of GLUE's leaderboard.
    public static let all: [GLUETask] = [cola, sst2, mrpc, stsb, qqp, mnli, qnli, rte, wnli]
}
