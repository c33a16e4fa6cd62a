/// The examples of one split of one GLUE task, as `GLUEReader` read them from its file.
///
///     let dev = try GLUEReader(task: .rte, folder: URL(fileURLWithPath: "glue_data/RTE")).read(.dev)
///     dev.examples.count       // 277
///     dev.skippedLines         // [] (only QQP's training and development files skip lines)
///     let report = try dev.evaluate(predictions)
///
/// Introduced in Chapter 3.
public struct GLUEDataset: Sendable, Hashable {
    /// The task the file belongs to.
    public var task: GLUETask
    /// Which file of the task folder it is.
    public var split: GLUESplit
    /// The file's path, as given to the reader.
    public var path: String
    /// The examples, in file order.
    public var examples: [GLUEExample]
    /// The lines (from 1) skipped for having the wrong number of columns; always empty except
    /// for QQP's train.tsv and dev.tsv (see `GLUETask.skipsMalformedLines`).
    public var skippedLines: [Int]

    public init(task: GLUETask, split: GLUESplit, path: String, examples: [GLUEExample],
                skippedLines: [Int] = []) {
        self.task = task
        self.split = split
        self.path = path
        self.examples = examples
        self.skippedLines = skippedLines
    }

    /// The name results on this split go by ("MNLI-m" for MNLI's matched files).
    public var resultName: String { task.resultName(for: split) }
}
