import Tensors
import Autograd

/// One trainable tensor with its stable name — the key it has in a checkpoint.
/// Introduced in Chapter 1.
public struct Parameter {
    /// A dotted name such as `encoder.layer.0.attention.query.weight`.
    public let name: String
    public let variable: Variable
    /// Whether AdamW's weight decay applies (not to biases and LayerNorm, see Docs/Methods/BERT.md).
    public let decays: Bool
}

/// Creates and owns a model's parameters, in creation order, with their names.
///
///     let store = ParameterStore(seed: 42)
///     let w = store.normal("encoder.layer.0.output.weight", [F, H], std: 0.02)   // [F, H]
///     let b = store.zeros("encoder.layer.0.output.bias", [H])                    // [H]
///
/// Every initial value is drawn from the store's own seeded generator in creation order,
/// so the same seed builds the same model.
///
/// Several networks can live in one store under name prefixes — ELECTRA's generator beside
/// its discriminator, sharing the embedding tables:
///
///     let generator = store.scoped("generator")        // registers "generator.<name>"
///     generator.normal("encoder.layer.0.ffn.output.weight", [F, H], std: 0.02)
///
/// A scoped store is a view: it shares the parameters and the generator of the store it came
/// from, and only prefixes the names it registers. Everything else (`parameters`, `values`,
/// `load`, the subscript) sees the whole store, under full names. Introduced in Chapter 1.
public final class ParameterStore {
    /// What every view of one store shares.
    private final class Contents {
        var parameters: [Parameter] = []
        var index: [String: Int] = [:]
        var rng: SeededGenerator
        init(rng: SeededGenerator) { self.rng = rng }
    }

    private let contents: Contents
    /// Prepended to every name this view registers: `""` for a store, `"generator."` for
    /// `scoped("generator")`.
    public let prefix: String

    public init(seed: UInt64) {
        contents = Contents(rng: SeededGenerator(seed: seed))
        prefix = ""
    }

    private init(contents: Contents, prefix: String) {
        self.contents = contents
        self.prefix = prefix
    }

    /// A view of this store that registers its parameters under `<prefix><name>.`.
    public func scoped(_ name: String) -> ParameterStore {
        ParameterStore(contents: contents, prefix: prefix + name + ".")
    }

    /// Every parameter of the store, in creation order.
    public var parameters: [Parameter] { contents.parameters }

    /// A weight drawn from N(0, std²), decayed by AdamW.
    public func normal(_ name: String, _ shape: [Int], std: Float) -> Variable {
        add(name, Tensor.normal(shape, std: std, using: &contents.rng), decays: true)
    }

    /// A bias (zeros), not decayed.
    public func zeros(_ name: String, _ shape: [Int]) -> Variable {
        add(name, Tensor.zeros(shape), decays: false)
    }

    /// A LayerNorm gain (ones), not decayed.
    public func ones(_ name: String, _ shape: [Int]) -> Variable {
        add(name, Tensor.ones(shape), decays: false)
    }

    /// Registers a parameter with a given initial value, under `prefix + name`.
    public func add(_ name: String, _ value: Tensor, decays: Bool) -> Variable {
        let fullName = prefix + name
        precondition(contents.index[fullName] == nil, "parameter \(fullName) is defined twice")
        let variable = Variable(value, name: fullName, role: .parameter)
        contents.index[fullName] = contents.parameters.count
        contents.parameters.append(Parameter(name: fullName, variable: variable, decays: decays))
        return variable
    }

    /// The parameter with this full name, if any.
    public subscript(name: String) -> Parameter? { contents.index[name].map { contents.parameters[$0] } }

    /// The total number of trainable numbers.
    public var scalarCount: Int { parameters.reduce(0) { $0 + $1.variable.value.count } }

    /// Forgets every accumulated gradient.
    public func zeroGradients() { for p in parameters { p.variable.zeroGradient() } }

    /// Name → current value, e.g. to save a checkpoint.
    public var values: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.variable.value) })
    }

    /// Name → shape of every parameter, e.g. to validate a checkpoint.
    public var shapes: [String: [Int]] {
        Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.variable.value.shape) })
    }

    /// Replaces every parameter's value (names and shapes must match exactly; validate first).
    public func load(_ values: [String: Tensor]) {
        for p in parameters {
            guard let v = values[p.name] else { preconditionFailure("no value for parameter \(p.name)") }
            p.variable.assign(v)
        }
    }
}
