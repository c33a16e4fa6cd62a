import Tensors
import Autograd
import Text

/// The *input* seam (Sources/README.md): what may change a batch's embeddings before the
/// first layer, knowing the batch — and learn from the batch's final hidden states after
/// each update. Chapter 4's note taking (TNF) lives here; the default is none.
///
///     final class Marker: InputAugmentation {          // adds a constant at chosen positions
///         func augment(_ embeddings: Variable, input: ModelInput, isTraining: Bool) -> Variable { … }
///     }
///
/// 1. `augment` receives `E[ids] + p` `[B, T, H]` (word embeddings plus the position
///    scheme's input term, if any) and the batch — its ids, word spans and the positions
///    that were masked or replaced (`ModelInput.maskedPositions`, where an augmentation
///    must not reveal the original token) — and returns the embeddings the embedding
///    LayerNorm normalises next. It is part of the recorded graph, so gradients flow
///    through whatever it computes.
/// 2. `observe` runs after the optimizer step with the same batch's final hidden states
///    (values, outside the graph): where an augmentation updates what it remembers.
/// 3. What it remembers and is not a parameter — no gradient, no optimizer — is its `state`:
///    saved in checkpoints (under `state.input.`) and restored on resume, so a resumed run
///    repeats the uninterrupted one bit for bit.
///
/// An augmentation acts in pre-training only: a model rebuilt for prediction, export or
/// fine-tuning leaves it out (`ModelRegistry.Purpose.inference`). Parameters it needs,
/// if any, are registered through the store it is given, scoped under `input.`.
/// Introduced in Chapter 1 (the seam; chapter 4 uses it).
public protocol InputAugmentation: AnyObject {
    /// `embeddings [B, T, H]` → `[B, T, H]`, before the embedding LayerNorm.
    /// - Parameter isTraining: false when evaluating (no dropout, no update follows).
    func augment(_ embeddings: Variable, input: ModelInput, isTraining: Bool) -> Variable
    /// After the optimizer step of a training update: the final hidden states `[B, T, H]` of
    /// the batch the encoder read.
    func observe(hidden: Tensor, input: ModelInput)
    /// Buffers that are part of the model but not parameters, by name.
    var state: [String: Tensor] { get }
    /// Restores `state` from a checkpoint. Throws when a buffer is missing or misshapen.
    func restore(state: [String: Tensor]) throws
}

extension InputAugmentation {
    public func observe(hidden: Tensor, input: ModelInput) {}
    public var state: [String: Tensor] { [:] }
    public func restore(state: [String: Tensor]) throws { try refuseState(state, owner: "the input augmentation") }
}

/// The default `restore(state:)` of a part that keeps no state: any buffer is a mistake.
func refuseState(_ state: [String: Tensor], owner: String) throws {
    if let name = state.keys.sorted().first {
        throw ConfigurationError(message: "\(owner) keeps no state, but the checkpoint holds '\(name)'")
    }
}

/// What a seam's factory may read when it builds its part of a model.
/// Introduced in Chapter 1 (the seams).
public struct SeamContext {
    /// Where the part registers its parameters (scoped for an input augmentation).
    public let store: ParameterStore
    public let config: ModelConfiguration
    /// The tokenizer's vocabulary, when the model is built with one.
    public let vocabulary: Vocabulary?
    /// The packed training sequences (with word spans) when the model is built to be trained;
    /// empty when it is rebuilt for inference.
    public let trainingSequences: [TokenSequence]

    public init(store: ParameterStore, config: ModelConfiguration, vocabulary: Vocabulary?,
                trainingSequences: [TokenSequence]) {
        self.store = store; self.config = config
        self.vocabulary = vocabulary; self.trainingSequences = trainingSequences
    }
}

/// Builds an input augmentation for a model.
public typealias InputAugmentationFactory = (SeamContext) throws -> InputAugmentation
