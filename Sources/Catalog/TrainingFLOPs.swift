import Transformer
import MetaController

/// The floating-point work of one training update, counted as the PyTorch reference step
/// counts it: matrix products only, backward = 2 × forward (so 6 × parameters × tokens for a
/// Linear layer), the attention products, and each objective's heads and helper network.
///
///     let cost = try TrainingFLOPs(config, batchSize: 32, length: 128, predictions: 608)
///     cost.total            // 92.0e9 for BERT-A at mini
///     cost.breakdown        // ["encoder": …, "attention": …, "vocab": …]
///
/// - Masked-LM: `6·L·P·B·T` for the encoder's layers (P parameters per layer), the attention
///   products `3·L·4·B·T²·H`, the head's transform `6·N·H²` and the tied vocabulary
///   projection `6·N·H·V` at the N predicted rows.
/// - `classify` (fine-tuning): the pooler and classifier at the B [CLS] rows, `6·B·(H² + 2H)`.
/// - ELECTRA and MC-BERT add their helper network of width w (its layers, attention and input
///   projection `6·B·T·H·w`); ELECTRA the generator's head at the N picked rows
///   `6·N·(w·H + H·V)` and the discriminator's head at every token `6·B·T·(H² + H)`; MC-BERT
///   the projected table `6·V·H·w`, the controller's head `6·N·(w² + w·V)`, its forward-only
///   pass over every token for the samples `2·B·T·(w² + w·V)`, the main head's transform
///   `6·B·T·H²` and the K candidate scores `6·B·T·K·H`.
/// - TNF's notes add `2·(occurrences)·T·H` (mixing and window means), negligible.
/// Sampling, softmax, LayerNorm and other elementwise work are not counted.
/// Introduced in Chapter 1 (the benchmark); chapters 5 and 6 compare methods with it.
public struct TrainingFLOPs: Sendable {
    public var total: Double
    public var breakdown: [String: Double]

    /// - Parameters:
    ///   - config: the model (its objective decides the heads and the helper), or pass
    ///     `objective: "classify"` for a fine-tuning step.
    ///   - predictions: N, the picked positions of the batch.
    ///   - notedOccurrences: rare-word occurrences in the batch, when notes are taken.
    public init(_ config: ModelConfiguration, batchSize: Int, length: Int, predictions: Int,
                objective: String? = nil, notedOccurrences: Int = 0) throws {
        let (L, H, F, V) = (Double(config.layers), Double(config.hiddenSize), Double(config.feedForwardSize),
                            Double(config.vocabularySize))
        let (T, B) = (Double(length), Double(batchSize))
        func perLayer(_ H: Double, _ F: Double) -> Double {
            (3 * H * H + 3 * H) + (H * H + H) + 2 * (2 * H) + (H * F + F) + (F * H + H)
        }
        let tokens = B * T, rows = Double(predictions)
        var breakdown = [
            "encoder": 6 * L * perLayer(H, F) * tokens,
            "attention": 3 * L * (2 * 2 * B * T * T * H),
        ]
        func helper(_ name: String, width: Double) {
            breakdown["\(name)_encoder"] = 6 * L * perLayer(width, 4 * width) * tokens
            breakdown["\(name)_attention"] = 3 * L * (2 * 2 * B * T * T * width)
            breakdown["\(name)_projection"] = 6 * tokens * H * width
        }
        switch objective ?? config.objective {
        case "classify":
            breakdown["head_transform"] = 6 * B * (H * H + 2 * H)
        case ELECTRA.name:
            let settings = try ELECTRA.Settings(config)
            let w = Double(try SmallMaskedLanguageModel.configuration(for: config, width: settings.generatorWidth).hiddenSize)
            helper("generator", width: w)
            breakdown["generator_head"] = 6 * rows * w * H
            breakdown["generator_vocab"] = 6 * rows * H * V
            breakdown["discriminator_head"] = 6 * tokens * (H * H + H)
        case MCBERT.name:
            let settings = try MCBERT.Settings(config)
            let w = Double(try SmallMaskedLanguageModel.configuration(for: config, width: settings.controllerWidth).hiddenSize)
            let K = Double(settings.candidates)
            helper("controller", width: w)
            breakdown["controller_table"] = 6 * V * H * w
            breakdown["controller_head"] = 6 * rows * w * w
            breakdown["controller_vocab"] = 6 * rows * w * V
            breakdown["controller_sampling"] = 2 * tokens * (w * w + w * V)
            breakdown["head_transform"] = 6 * tokens * H * H
            breakdown["candidates"] = 6 * tokens * K * H
        default:
            breakdown["head_transform"] = 6 * H * H * rows
            breakdown["vocab"] = 6 * rows * H * V
        }
        if notedOccurrences > 0 { breakdown["notes"] = 2 * Double(notedOccurrences) * T * H }
        self.breakdown = breakdown
        total = breakdown.values.reduce(0, +)
    }
}
