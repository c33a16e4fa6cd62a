// GENERATED exercise file, yours to edit: replace each `throw ExerciseError.notImplemented(…)`
// with your code, then check it with `make exercise N=<id>`.
// Stuck? `make hint N=<id>` prints a nudge, `make hint N=<id> LEVEL=2` the derivation.
// Exercises/README.md explains the workflow.
import Foundation
import Tensors
import ExerciseChecks

extension Implementation {
    /// Exercise 5.4 — ELECTRA's combined loss (chapter 5, "The two objectives"; ELECTRA §2;
    /// Docs/Methods/ELECTRA-MC-BERT.md#electra-discriminator and
    /// Docs/Methods/ELECTRA-MC-BERT.md#electra-loss; the engine's `binaryCrossEntropyWithLogits` and
    /// `ELECTRA`). The generator's masked-LM loss ℒ_MLM is given: its mean cross-entropy over the
    /// picked positions. The discriminator gives one logit zᵢ at each of the batch's M real
    /// positions, whose label yᵢ is 1 where the token was replaced and 0 elsewhere. With
    /// σ(z) = 1/(1 + e^(−z)):
    ///
    ///     BCE = (1/M) · Σᵢ −[yᵢ · log σ(zᵢ) + (1 − yᵢ) · log(1 − σ(zᵢ))]
    ///     ℒ   = ℒ_MLM + λ · BCE                                  (λ = 50 in ELECTRA)
    ///
    /// A confident discriminator's logits reach the hundreds: the result must stay finite and
    /// right there (|z| = 10⁴ included), never inf or NaN.
    ///
    /// - Parameters:
    ///   - generatorLoss: ℒ_MLM.
    ///   - logits: z `[M]`, one per real position.
    ///   - replaced: y `[M]`, true where the token was replaced.
    ///   - λ: the discriminator loss's weight, ≥ 0.
    /// - Returns: ℒ.
    public static func electraLoss(generatorLoss: Float, logits: Tensor, replaced: [Bool],
                                   weight λ: Float) throws -> Float {
        throw ExerciseError.notImplemented("5.4")
    }
}
