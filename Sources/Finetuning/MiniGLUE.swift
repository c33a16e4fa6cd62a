import Foundation

/// The embedded mini-GLUE: five small tasks built from public-domain text that pre-training
/// never reads (Resources/mini-glue/README.md says how each was built, its baselines and its
/// sources). Each is a `GLUETask` whose test file keeps its labels, so Tenfold scores it itself.
///
///     let task = try MiniGLUE.task("paraphrase")          // pairs, F1 and accuracy
///     let reader = try MiniGLUE.reader("paraphrase")
///     let train = try reader.read(.train)                 // 3000 examples
///
/// | task | like | input | metric |
/// | --- | --- | --- | --- |
/// | `word-order` | CoLA | a sentence: original order, or two words swapped? | MCC |
/// | `paraphrase` | MRPC | the same verse in two translations? | F1, accuracy |
/// | `definition` | QNLI | does the gloss define the headword? | accuracy |
/// | `continuation` | NSP | does the second verse follow the first? | accuracy |
/// | `similarity` | STS-B | how similar are two concepts, 0–5? | Pearson, Spearman |
///
/// Introduced in Chapter 3.
public enum MiniGLUE {
    /// The tasks, in the order of the README and of every table.
    public static let taskNames = ["word-order", "paraphrase", "definition", "continuation", "similarity"]

    /// The task called `name`, from its `task.json`.
    /// - Throws: `MiniGLUEError` for an unknown name or a damaged resource.
    public static func task(_ name: String) throws -> GLUETask {
        let folder = try self.folder(name)
        let url = folder.appendingPathComponent("task.json")
        struct Description: Decodable {
            var name: String, pair: Bool, kind: String, metric: String, labels: [String]?
        }
        let description: Description
        do {
            description = try JSONDecoder().decode(Description.self, from: Data(contentsOf: url))
        } catch {
            throw MiniGLUEError.damaged(path: url.path, reason: "\(error)")
        }
        let metrics: [GLUEMetric]
        switch description.metric {
        case "mcc": metrics = [.matthewsCorrelation]
        case "f1": metrics = [.f1, .accuracy]
        case "accuracy": metrics = [.accuracy]
        case "pearson_spearman": metrics = [.pearson, .spearman]
        default: throw MiniGLUEError.damaged(path: url.path, reason: "unknown metric '\(description.metric)'")
        }
        let kind: GLUETask.Kind
        if description.kind == "regression" {
            kind = .regression(range: 0...5)
        } else {
            // Labels in the files are the class numbers 0…C−1; task.json names their meanings.
            kind = .classification(labels: (description.labels ?? ["0", "1"]).indices.map(String.init))
        }
        let layout: GLUEFileLayout = description.pair
            ? .header(sentence1: "sentence1", sentence2: "sentence2", label: "label")
            : .header(sentence1: "sentence", label: "label")
        return GLUETask(name: description.name, kind: kind, metrics: metrics, splits: [.train, .dev, .test],
                        labelledLayout: layout, testLayout: layout, skipsMalformedLines: false)
    }

    /// A reader of the task's three files.
    public static func reader(_ name: String) throws -> GLUEReader {
        GLUEReader(task: try task(name), folder: try folder(name))
    }

    /// The two baselines committed with the task, as task scores on the ×100 scale: the
    /// trivial one (the majority class; for regression the train mean, which scores 0) and the
    /// bag-of-words logistic (ridge) regression, both on the test split.
    public static func baselines(_ name: String) throws -> (trivial: Double, bagOfWords: Double) {
        let task = try self.task(name)
        let url = try folder(name).appendingPathComponent("baselines.json")
        guard let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw MiniGLUEError.damaged(path: url.path, reason: "not a JSON object")
        }
        let keys: [GLUEMetric: String] = [.accuracy: "accuracy", .f1: "f1", .matthewsCorrelation: "mcc",
                                          .pearson: "pearson", .spearman: "spearman"]
        func score(_ baseline: String) throws -> Double {
            guard let entry = object[baseline] as? [String: Any], let test = entry["test"] as? [String: Double],
                  let values = Optional(task.metrics.compactMap { test[keys[$0]!] }), values.count == task.metrics.count else {
                throw MiniGLUEError.damaged(path: url.path, reason: "no test scores for '\(baseline)'")
            }
            return 100 * values.reduce(0, +) / Double(values.count)
        }
        return (try score(task.isRegression ? "mean" : "majority"), try score("bag_of_words"))
    }

    /// The best test score, ×100, of one answer given to every test example — what a model
    /// scores that has learnt nothing about its inputs. Classification: the best over the
    /// labels (answering label c everywhere, scored by the task's metrics); regression: 0, since
    /// a constant correlates with nothing.
    ///
    ///     try MiniGLUE.constantBaseline("definition")   // 50.0: either class on a balanced split
    ///     try MiniGLUE.constantBaseline("paraphrase")   // 58.3: always "same verse", F1 66.7 and accuracy 50.0
    ///
    /// It can lie above `baselines(_:).trivial`: the committed majority rule breaks a tie
    /// towards label 0, which gives paraphrase F1 0.
    public static func constantBaseline(_ name: String) throws -> Double {
        let task = try self.task(name)
        guard !task.isRegression else { return 0 }
        let gold = try reader(name).read(.test).examples.compactMap(\.label)
        return try task.labels.indices.map { label in
            try task.report(predictions: Array(repeating: .category(label), count: gold.count), labels: gold).glueScore
        }.max() ?? 0
    }

    /// The task's folder inside the package's resources.
    static func folder(_ name: String) throws -> URL {
        guard taskNames.contains(name) else { throw MiniGLUEError.unknownTask(name) }
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "mini-glue") else {
            throw MiniGLUEError.damaged(path: "mini-glue/\(name)", reason: "the package was built without it")
        }
        return url
    }
}

/// A mini-GLUE task that cannot be used. Introduced in Chapter 3.
public enum MiniGLUEError: Error, CustomStringConvertible, Equatable {
    case unknownTask(String)
    case damaged(path: String, reason: String)

    public var description: String {
        switch self {
        case .unknownTask(let name):
            return "mini-GLUE has no task '\(name)'; its tasks are \(MiniGLUE.taskNames.joined(separator: ", "))"
        case let .damaged(path, reason):
            return "the embedded mini-GLUE file \(path) cannot be read (\(reason)); rebuild it with make mini-glue"
        }
    }
}
