import Tensors
import Autograd

/// The encoder's result for one batch.
/// Introduced in Chapter 1.
public struct EncoderOutput {
    /// `[B, T, H]`: the final layer's hidden states.
    public var hidden: Variable
    /// One `[B, A, T, T]` tensor of attention probabilities per layer (values).
    public var attention: [Tensor]
}

/// A BERT-style encoder with its two model-side seams: embeddings → input seam → positions
/// seam → L post-LN layers → the final hidden states (Docs/Methods/BERT.md).
///
///     let store = ParameterStore(seed: 1)
///     let encoder = Encoder(store, config: config, positions: AbsolutePositions.factory)
///     var dropoutRNG: SeededGenerator? = SeededGenerator(seed: 2)
///     let hidden = encoder(input, rng: &dropoutRNG).hidden          // [B, T, H]
///
/// Step by step, for a batch of ids `[B, T]`:
/// 1. `x = E[ids]`, projected to width H when the table is another network's of width
///    E ≠ H (a generator or meta controller reading the main model's table, chapter 5);
/// 2. plus the position scheme's input term `p` (BERT-A: a learned `[T, H]` table; TUPE: none);
/// 3. the input augmentation, if any, may change `x` knowing the batch (chapter 4);
/// 4. `x = LN(x)`, then dropout;
/// 5. L layers, each adding the scheme's attention bias to its logits (and its query/key
///    offsets, if any, to its queries and keys), computed once for all layers.
///
/// Several encoders can share one `ParameterStore`: build the second from a scoped store
/// (`store.scoped("generator")`) and give it the first one's word table; only the table is
/// shared (through the projection when the widths differ), positions and LayerNorms are its own.
///
/// Parameter names: `embeddings.word [V, H]` (unless shared), `embeddings.projection.{weight,bias}`
/// (only with a shared table of another width), the scheme's own (BERT-A:
/// `embeddings.position [T, H]`), `embeddings.norm.{gamma,beta}`, `encoder.layer.<l>.*`
/// (see `EncoderLayer`). Introduced in Chapter 1.
public final class Encoder {
    public let config: ModelConfiguration
    /// E `[V, E]`: the word embedding table (E = H unless shared from another encoder).
    public let wordEmbeddings: Variable
    public let positions: PositionEncoding
    /// The input seam: nil leaves the embeddings as they are.
    public var input: InputAugmentation?
    public let embeddingNorm: LayerNormalization
    /// `[E] → [H]` right after the table lookup, when the table's width E ≠ H.
    public let inputProjection: Linear?
    public private(set) var layers: [EncoderLayer]

    /// Which attention core every layer runs (`.fused` unless set; `.reference` for graphs
    /// meant to show each step of the formula).
    public var attentionImplementation: AttentionImplementation {
        didSet { for l in layers.indices { layers[l].attention.implementation = attentionImplementation } }
    }

    /// An encoder from parts built elsewhere — for sharing tables between networks.
    public init(config: ModelConfiguration, wordEmbeddings: Variable, positions: PositionEncoding,
                embeddingNorm: LayerNormalization, inputProjection: Linear?, layers: [EncoderLayer]) {
        self.config = config
        self.wordEmbeddings = wordEmbeddings
        self.positions = positions
        self.embeddingNorm = embeddingNorm
        self.inputProjection = inputProjection
        self.layers = layers
        attentionImplementation = layers.first?.attention.implementation ?? .fused
    }

    /// A freshly initialised encoder of `config`'s sizes: weights ~ N(0, σ²), biases 0,
    /// LayerNorm γ = 1, β = 0, created in the order word table, position scheme, embedding
    /// LayerNorm, projection, layers (the order fixes which random numbers each gets).
    ///
    /// - Parameters:
    ///   - store: where the parameters are registered (scoped for a second network).
    ///   - positions: builds the position scheme at width H.
    ///   - sharedWordEmbeddings: another encoder's table `[V, E]` to read instead of a new one.
    public convenience init(_ store: ParameterStore, config: ModelConfiguration,
                            positions: PositionEncodingFactory, sharedWordEmbeddings: Variable? = nil) {
        let (H, std) = (config.hiddenSize, config.initializerStd)
        let table = sharedWordEmbeddings ?? store.normal("embeddings.word", [config.vocabularySize, H], std: std)
        let scheme = positions(store, config)
        let norm = LayerNormalization(store, "embeddings.norm", size: H, epsilon: config.layerNormEpsilon)
        let width = table.shape[1]
        let projection = width == H ? nil : Linear(store, "embeddings.projection", input: width, output: H, std: std)
        let layers = (0..<config.layers).map { EncoderLayer(store, "encoder.layer.\($0)", config: config) }
        self.init(config: config, wordEmbeddings: table, positions: scheme, embeddingNorm: norm,
                  inputProjection: projection, layers: layers)
    }

    /// Runs the encoder. `rng` is the dropout stream; pass nil to evaluate without dropout.
    public func callAsFunction(_ input: ModelInput, rng: inout SeededGenerator?) -> EncoderOutput {
        let (B, T, E) = (input.batchSize, input.length, wordEmbeddings.shape[1])
        precondition(T <= config.maxSequenceLength, "sequence length \(T) exceeds the model's \(config.maxSequenceLength)")
        var x = embedding(wordEmbeddings, ids: input.ids).reshaped([B, T, E])   // [B, T, E]
        if let inputProjection { x = inputProjection(x) }                      // [B, T, H]
        if let p = positions.inputEmbedding(length: T) { x = x + p }           // + [T, H]
        if let augmentation = self.input { x = augmentation.augment(x, input: input, isTraining: rng != nil) }
        x = embeddingNorm(x)
        if rng != nil { x = dropout(x, probability: config.dropout, using: &rng!) }
        // The positional bias does not depend on the input: computed once, used by every layer.
        let bias = positions.attentionBias(length: T)
        let offsets = positions.queryKeyOffsets(length: T)
        let scale = positions.contentScale(headSize: config.headSize)
        var attention: [Tensor] = []
        for layer in layers {
            let (y, probabilities) = layer(x, scale: scale, bias: bias, offsets: offsets,
                                           keyLengths: input.lengths, rng: &rng)
            x = y
            attention.append(probabilities)
        }
        return EncoderOutput(hidden: x, attention: attention)
    }
}
