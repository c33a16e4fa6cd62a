import Tensors
import Transformer
import BertBaseline
import Finetuning

extension HuggingFaceExport {
    /// A fine-tuned BERT-A classifier in Hugging Face's `BertForSequenceClassification` layout.
    ///
    /// The head maps one to one: BERT's pooler is `tanh(h_[CLS] W + b)` (`bert.pooler.dense`)
    /// and its classifier a Linear layer after dropout (`classifier`), which is exactly
    /// `SequenceClassifier`'s `classifier.dense` → tanh → dropout → `classifier.output`.
    /// Pairs must be given to `transformers` with all token types 0 (the export's token-type
    /// table has one row of zeros; Tenfold has no segment embeddings).
    /// Introduced in Chapter 3.
    public static func bertForSequenceClassification(_ classifier: SequenceClassifier) throws -> [String: Tensor] {
        var out = try bertEncoder(classifier.encoder)
        let values = classifier.parameters.values
        linear(values, "classifier.dense", "bert.pooler.dense", into: &out)
        linear(values, "classifier.output", "classifier", into: &out)
        return out
    }

    /// `config.json` for `BertForSequenceClassification`: the encoder's sizes, the number of
    /// outputs, the labels and whether the task is a regression.
    public static func classifierConfigJSON(_ configuration: ClassifierConfiguration) -> String {
        let labels = configuration.isRegression ? ["score"] : configuration.labels
        let id2label = "{" + labels.enumerated().map { "\"\($0.offset)\": \"\($0.element)\"" }.joined(separator: ", ") + "}"
        let label2id = "{" + labels.enumerated().map { "\"\($0.element)\": \($0.offset)" }.joined(separator: ", ") + "}"
        return configJSON(configuration.encoder, architecture: "BertForSequenceClassification", extra: [
            ("num_labels", "\(labels.count)"), ("id2label", id2label), ("label2id", label2id),
            ("problem_type", configuration.isRegression ? "\"regression\"" : "\"single_label_classification\""),
            ("classifier_dropout", "\(configuration.encoder.dropout)"),
        ])
    }
}
