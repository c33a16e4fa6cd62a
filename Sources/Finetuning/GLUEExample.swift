/// One example of a GLUE file: one or two sentences, the gold label where the file has one,
/// and the index the leaderboard knows it by.
///
///     let example = dataset.examples[0]
///     example.sentence1        // "The new rights are nice enough"
///     example.sentence2        // "Everyone really likes the newest benefits"
///     example.label            // .category(1): "neutral" in GLUETask.mnli.labels
///     example.line             // 2: the header is line 1
///
/// Introduced in Chapter 3.
public struct GLUEExample: Sendable, Hashable {
    /// The file's index column (`index`, `id` in QQP), or the example's position (from 0)
    /// among the file's examples where the file has none. Submission files list predictions
    /// under this index.
    public var index: Int
    /// The line of the file it was read from, counting from 1 (the header is line 1).
    public var line: Int
    /// The first or only sentence, exactly as in the file (quotes and spaces included).
    public var sentence1: String
    /// The second sentence of a sentence-pair task; nil for CoLA and SST-2.
    public var sentence2: String?
    /// The gold label; nil in a test file.
    public var label: GLUELabel?

    public init(index: Int, line: Int, sentence1: String, sentence2: String? = nil,
                label: GLUELabel? = nil) {
        self.index = index
        self.line = line
        self.sentence1 = sentence1
        self.sentence2 = sentence2
        self.label = label
    }
}
