import Tensors
import Autograd

/// One trainable tensor with its stable name — the key it has in a checkpoint.
/// Introduced in Chapter 1.
public struct Parameter {
    /// A dotted name such as `encoder.layer.0.attention.query.weight`.
    public let name: String
    public let variable: Variable
    /// Whether AdamW's weight decay applies (not to biases and LayerNorm, METHODS.md §0).
    public let decays: Bool
}

/// Creates and owns a model's parameters, in creation order, with their names.
///
///     let store = ParameterStore(seed: 42)
///     let w = store.normal("encoder.layer.0.output.weight", [F, H], std: 0.02)   // [F, H]
///     let b = store.zeros("encoder.layer.0.output.bias", [H])                    // [H]
///
/// Every initial value is drawn from the store's own seeded generator in creation order,
/// so the same seed builds the same model. Introduced in Chapter 1.
public final class ParameterStore {
    public private(set) var parameters: [Parameter] = []
    private var index: [String: Int] = [:]
    private var rng: SeededGenerator

    public init(seed: UInt64) { rng = SeededGenerator(seed: seed) }

    /// A weight drawn from N(0, std²), decayed by AdamW.
    public func normal(_ name: String, _ shape: [Int], std: Float) -> Variable {
        add(name, Tensor.normal(shape, std: std, using: &rng), decays: true)
    }

    /// A bias (zeros), not decayed.
    public func zeros(_ name: String, _ shape: [Int]) -> Variable {
        add(name, Tensor.zeros(shape), decays: false)
    }

    /// A LayerNorm gain (ones), not decayed.
    public func ones(_ name: String, _ shape: [Int]) -> Variable {
        add(name, Tensor.ones(shape), decays: false)
    }

    /// Registers a parameter with a given initial value.
    public func add(_ name: String, _ value: Tensor, decays: Bool) -> Variable {
        precondition(index[name] == nil, "parameter \(name) is defined twice")
        let variable = Variable(value, name: name, role: .parameter)
        index[name] = parameters.count
        parameters.append(Parameter(name: name, variable: variable, decays: decays))
        return variable
    }

    /// The parameter called `name`, if any.
    public subscript(name: String) -> Parameter? { index[name].map { parameters[$0] } }

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
