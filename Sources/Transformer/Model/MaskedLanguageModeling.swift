import Tensors
import Autograd
import Text

/// BERT's masked-language-model objective (Devlin et al., 2019, §3.1; Docs/Methods/BERT.md):
/// predict the original token at each picked position.
///
///     let mlm = model.objective as! MaskedLanguageModeling
///     let logits = mlm.predictionLogits(hidden, at: batch.targets.positions)   // [N, V]
///
/// - Corruption: `.bert` — 15% of the tokens picked, 80% of those → [MASK], 10% → a random
///   token, 10% unchanged.
/// - Head, at the picked positions only: `Linear(H→H) → GELU → LN`, then
///   `logits = h·Eᵀ + b` with the encoder's word table `E` tied and a per-token bias `b`.
/// - Loss: mean cross-entropy over the picked positions; metric `mlm` (the same number).
///
/// Parameters: `mlm.transform.{weight,bias}`, `mlm.norm.{gamma,beta}`, `mlm.bias [V]`.
/// Introduced in Chapter 1.
public final class MaskedLanguageModeling: PretrainingObjective {
    /// The name a configuration's `objective` gives it.
    public static let name = "mlm"
    public let encoder: Encoder
    public let headTransform: Linear             // H → H
    public let headNorm: LayerNormalization
    public let outputBias: Variable              // [V]

    public init(_ store: ParameterStore, encoder: Encoder) {
        let config = encoder.config
        precondition(encoder.wordEmbeddings.shape[1] == config.hiddenSize,
                     "the tied decoder needs a word table as wide as the encoder")
        self.encoder = encoder
        headTransform = Linear(store, "mlm.transform", input: config.hiddenSize, output: config.hiddenSize,
                               std: config.initializerStd)
        headNorm = LayerNormalization(store, "mlm.norm", size: config.hiddenSize, epsilon: config.layerNormEpsilon)
        outputBias = store.zeros("mlm.bias", [config.vocabularySize])
    }

    /// Builds the objective on a model's main encoder.
    public static let factory: ObjectiveFactory = { MaskedLanguageModeling($0.seam.store, encoder: $0.encoder) }

    public var maskingPolicy: MaskingPolicy { .bert }

    /// Vocabulary logits `[N, V]` at the given flat positions of `hidden [B, T, H]`.
    public func predictionLogits(_ hidden: Variable, at positions: [Int32]) -> Variable {
        let rows = gatherRows(hidden.reshaped([-1, encoder.config.hiddenSize]), indices: positions)   // [N, H]
        let h = headNorm(linearGELU(rows, weight: headTransform.weight, bias: headTransform.bias))  // [N, H]
        return linear(h, weight: encoder.wordEmbeddings, bias: outputBias, transposedWeight: true) // [N, V]
    }

    public func loss(_ batch: TrainingBatch, dropout rng: inout SeededGenerator?,
                     sampling: inout SeededGenerator) -> ObjectiveOutput {
        let hidden = encoder(batch.input, rng: &rng).hidden
        let logits = predictionLogits(hidden, at: batch.targets.positions)
        let loss = crossEntropy(logits, targets: batch.targets.labels)
        return ObjectiveOutput(loss: loss, metrics: [Self.name: loss.value.item], count: batch.targets.labels.count,
                               hidden: hidden, input: batch.input)
    }
}
