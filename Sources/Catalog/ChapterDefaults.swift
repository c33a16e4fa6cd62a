import Text
import Notebook

extension ChapterOptions {
    /// The size a chapter trains: `--preset` when given, else `tiny` for `--quick` and
    /// `chapter` for the default run. Introduced in Chapter 1.
    public var presetName: String { preset ?? (quick ? "tiny" : "chapter") }

    /// What a chapter trains on: the whole corpus, or its first 300 documents with `--quick`
    /// (seconds, not minutes). Introduced in Chapter 1.
    public func trainingCorpus(_ corpus: Corpus) -> Corpus {
        quick ? Corpus(documents: Array(corpus.documents.prefix(300))) : corpus
    }
}
