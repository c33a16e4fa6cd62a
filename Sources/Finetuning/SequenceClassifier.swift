import Tensors
import Autograd
import Text
import Transformer

/// A pre-trained encoder with a head for a downstream task, predicting from the final hidden
/// state of `[CLS]` (Devlin et al., 2019, §4.1; fairseq's sentence classification head):
///
///     h = tanh(h_[CLS] W₁ + b₁)           W₁ [H, H]: the pooling layer
///     y = dropout(h) W₂ + b₂              W₂ [H, C]: C classes, or 1 for a regression score
///
///     let classifier = try SequenceClassifier(pretrained: loaded, registry: .standard,
///                                             kind: task.kind, seed: 1)
///     var rng: SeededGenerator? = SeededGenerator(seed: 2)
///     let logits = classifier(input, rng: &rng)          // [B, C]
///
/// The encoder is rebuilt from a checkpoint's configuration with its own position scheme, so
/// any pre-training method can be fine-tuned the same way; only the encoder's parameters are
/// copied. What only pre-training uses — the masked-LM head, a generator or meta controller,
/// an input augmentation such as a note dictionary — is left behind. The head's weights are
/// drawn from `seed` (N(0, σ²), biases 0), so several fine-tuning seeds of one checkpoint
/// differ in the head, the batch order and dropout.
///
/// Parameters: the encoder's (`embeddings.*`, `positions.*`, `encoder.layer.*`),
/// `classifier.dense.{weight,bias}` (W₁, b₁) and `classifier.output.{weight,bias}` (W₂, b₂).
/// Introduced in Chapter 3.
public final class SequenceClassifier {
    public let config: ModelConfiguration
    public let kind: GLUETask.Kind
    public let parameters: ParameterStore
    public let encoder: Encoder
    public let dense: Linear                // H → H
    public let output: Linear               // H → C
    public let dropoutProbability: Float

    /// C: the number of outputs (classes, or 1 for regression).
    public var outputCount: Int { output.weight.shape[1] }

    /// A classifier whose encoder is freshly initialised from `seed` (not pre-trained).
    public init(config: ModelConfiguration, positions: PositionEncodingFactory, kind: GLUETask.Kind, seed: UInt64) throws {
        try config.validate()
        self.config = config
        self.kind = kind
        let store = ParameterStore(seed: seed)
        parameters = store
        encoder = Encoder(store, config: config, positions: positions)
        let (H, std) = (config.hiddenSize, config.initializerStd)
        let C: Int
        switch kind {
        case .classification(let labels): C = labels.count
        case .regression: C = 1
        }
        dense = Linear(store, "classifier.dense", input: H, output: H, std: std)
        output = Linear(store, "classifier.output", input: H, output: C, std: std)
        dropoutProbability = config.dropout
    }

    /// A classifier whose encoder holds a pre-trained checkpoint's weights.
    ///
    /// - Parameters:
    ///   - pretrained: a checkpoint loaded for inference (any position scheme or objective).
    ///   - registry: builds the checkpoint's position scheme by name.
    ///   - seed: draws the head's initial weights.
    /// - Throws: `ConfigurationError` for a scheme the registry does not know.
    public convenience init(pretrained: LoadedCheckpoint, registry: ModelRegistry, kind: GLUETask.Kind,
                            seed: UInt64) throws {
        var config = pretrained.configuration.model
        config.input = ModelConfiguration.noInput
        try self.init(config: config, positions: try registry.positionsFactory(config.positions), kind: kind, seed: seed)
        let values = pretrained.model.parameters.values
        for parameter in parameters.parameters where !parameter.name.hasPrefix("classifier.") {
            // The same encoder, built from the same configuration: every name is there.
            parameter.variable.assign(values[parameter.name]!)
        }
    }

    /// Outputs `[B, C]` for a batch; `rng` is the dropout stream (nil: evaluation).
    public func callAsFunction(_ input: ModelInput, rng: inout SeededGenerator?) -> Variable {
        let hidden = encoder(input, rng: &rng).hidden                                // [B, T, H]
        let first = (0..<input.batchSize).map { Int32($0 * input.length) }           // [CLS] of each sequence
        let cls = gatherRows(hidden.reshaped([-1, config.hiddenSize]), indices: first) // [B, H]
        var pooled = tanh(dense(cls))                                                // [B, H]
        if rng != nil { pooled = dropout(pooled, probability: dropoutProbability, using: &rng!) }
        return output(pooled)                                                        // [B, C]
    }

    /// The training loss of a batch: cross-entropy over the classes, or the mean squared
    /// error of the scores for regression.
    public func loss(_ input: ModelInput, labels: [GLUELabel], rng: inout SeededGenerator?) -> Variable {
        let outputs = self(input, rng: &rng)
        switch kind {
        case .classification:
            return crossEntropy(outputs, targets: labels.map { Int32($0.category ?? 0) })
        case .regression:
            let targets = Variable(Tensor(shape: [labels.count, 1], scalars: labels.map { Float($0.score ?? 0) }))
            let error = outputs - targets
            return mean(error * error)
        }
    }

    /// Predictions for a batch, without dropout and without recording a graph: the class with
    /// the largest output (the first on ties), or the score.
    public func predict(_ input: ModelInput) -> [GLUELabel] {
        Gradients.withoutRecording {
            var noDropout: SeededGenerator? = nil
            let outputs = self(input, rng: &noDropout).value.scalars      // [B, C]
            let C = outputCount
            return (0..<input.batchSize).map { b in
                let row = Array(outputs[(b * C)..<((b + 1) * C)])
                switch kind {
                case .classification:
                    return .category(row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!)
                case .regression:
                    return .score(Double(row[0]))
                }
            }
        }
    }
}
