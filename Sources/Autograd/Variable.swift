import Tensors

/// A value recorded for reverse-mode differentiation: a tensor, its gradient, and the
/// operation that produced it.
///
///     var rng = SeededGenerator(seed: 0)
///     let w = Variable(Tensor.normal([3, 2], using: &rng), name: "W", role: .parameter)
///     let x = Variable(Tensor.ones([4, 3]), name: "x")             // an input
///     let loss = sum(matmul(x, w))                                 // records two operations
///     loss.backward()                                              // fills w.grad
///
/// Each operation node remembers its name, its inputs and how to turn its output's
/// gradient into its inputs' gradients; the nodes reachable from a result form the tape.
/// `backward()` walks it in reverse recording order, accumulates gradients into the
/// leaves (they add up over calls until `zeroGradient()`), and then releases the
/// recorded operations so their saved tensors are freed.
/// Introduced in Chapter 1 (Foundation).
public final class Variable {
    /// The forward value.
    public internal(set) var value: Tensor
    /// The accumulated gradient of the differentiated scalar with respect to `value`
    /// (same shape), or nil before any backward pass reached it.
    public internal(set) var gradient: Tensor?
    /// The operation's name (`matmul`, `softmax`, …) or the leaf's name.
    public let name: String
    /// An optional name for diagrams (`"scores"`, `"W^Q"`).
    public var label: String?
    /// An optional group for diagrams (e.g. one of the four attention terms).
    public var group: String?
    public let role: ComputationGraph.Role
    /// Whether gradients flow to (or through) this value.
    public let requiresGradient: Bool

    /// The values this one was computed from (empty for leaves and after release).
    public private(set) var inputs: [Variable]
    /// Maps this node's gradient to one gradient per input (nil: none for that input).
    private var backwardFunction: ((Tensor) -> [Tensor?])?
    /// Recording order: inputs are always recorded before the operations that use them.
    let sequence: Int

    /// A leaf: an input (`.input`, no gradient), a `.parameter` (gradient wanted) or a
    /// `.constant`.
    public init(_ value: Tensor, name: String = "x", role: ComputationGraph.Role = .input,
                label: String? = nil) {
        self.value = value
        self.name = name
        self.label = label
        self.role = role
        requiresGradient = role == .parameter
        inputs = []
        sequence = Variable.nextSequence()
    }

    /// A leaf that wants a gradient without being a model parameter (gradient checks).
    public convenience init(differentiable value: Tensor, name: String = "x") {
        self.init(value, name: name, role: .parameter)
    }

    private init(operation name: String, value: Tensor, inputs: [Variable],
                 backward: ((Tensor) -> [Tensor?])?) {
        self.value = value
        self.name = name
        role = .operation
        requiresGradient = backward != nil
        self.inputs = inputs
        backwardFunction = backward
        sequence = Variable.nextSequence()
    }

    /// Records an operation: `value` was computed from `inputs`, and `backward` maps the
    /// gradient of the result to the gradient of each input (in order; nil where an input
    /// gets none). When no input requires a gradient, or recording is off
    /// (`Gradients.withoutRecording`), nothing is kept but the value.
    ///
    /// This is the one way every differentiable operation in Tenfold is built.
    public static func record(_ name: String, _ value: Tensor, inputs: [Variable],
                              backward: @escaping (Tensor) -> [Tensor?]) -> Variable {
        let wanted = Gradients.isRecording && inputs.contains { $0.requiresGradient }
        OperationProfiler.active?.recordForward(name, rank: value.rank)
        return Variable(operation: name, value: value, inputs: wanted ? inputs : [],
                        backward: wanted ? backward : nil)
    }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// Back-propagates from this value. Unless `seed` is given the value must be a scalar
    /// (one element) and its gradient is taken as 1.
    ///
    /// Gradients accumulate into every leaf that requires one. Afterwards the recorded
    /// operations reachable from here are released (inputs and saved tensors dropped);
    /// pass `retainGraph: true` to keep them (for example to draw the graph with gradients).
    public func backward(seed: Tensor? = nil, retainGraph: Bool = false) {
        let start: Tensor
        if let seed {
            precondition(seed.shape == value.shape, "backward seed \(seed.shape) does not match \(value.shape)")
            start = seed
        } else {
            precondition(value.count == 1, "backward() without a seed needs a scalar, not shape \(value.shape)")
            start = Tensor(shape: value.shape, repeating: 1)
        }
        let order = topologicalOrder()
        var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): start]
        for node in order.reversed() {
            guard let g = pending.removeValue(forKey: ObjectIdentifier(node)) else { continue }
            if node.role != .operation || retainGraph {
                node.accumulate(g)
            }
            guard let function = node.backwardFunction else { continue }
            let profiler = OperationProfiler.active
            let started = profiler == nil ? 0 : OperationProfiler.now()
            let inputGradients = function(g)
            profiler?.recordBackward(node.name, rank: node.value.rank, seconds: OperationProfiler.now() - started)
            precondition(inputGradients.count == node.inputs.count,
                         "\(node.name): backward returned \(inputGradients.count) gradients for \(node.inputs.count) inputs")
            for (input, maybe) in zip(node.inputs, inputGradients) {
                guard input.requiresGradient, let gi = maybe else { continue }
                precondition(gi.shape == input.value.shape,
                             "\(node.name): gradient \(gi.shape) for an input of shape \(input.value.shape)")
                let key = ObjectIdentifier(input)
                if var existing = pending.removeValue(forKey: key) {
                    let accumulateStart = profiler == nil ? 0 : OperationProfiler.now()
                    existing.add(gi)
                    pending[key] = existing
                    profiler?.recordBackward("accumulate", rank: gi.rank,
                                             seconds: OperationProfiler.now() - accumulateStart)
                } else {
                    pending[key] = gi
                }
            }
        }
        if !retainGraph {
            for node in order where node.role == .operation { node.release() }
        }
    }

    /// Forgets the accumulated gradient (call before each optimisation step).
    public func zeroGradient() { gradient = nil }

    /// Replaces a leaf's value (an optimiser step, a checkpoint load). Shapes must match.
    public func assign(_ newValue: Tensor) {
        precondition(role != .operation, "only a leaf's value can be assigned")
        precondition(newValue.shape == value.shape, "cannot assign \(newValue.shape) to \(name) of shape \(value.shape)")
        value = newValue
    }

    /// Updates a leaf's value in place (an optimiser's fused step).
    public func updateValue(_ body: (inout Tensor) -> Void) {
        precondition(role != .operation, "only a leaf's value can be updated")
        body(&value)
    }

    /// Updates a leaf's accumulated gradient in place (summing it over processes), creating a
    /// zero gradient first when no backward pass reached the leaf.
    public func updateGradient(_ body: (inout Tensor) -> Void) {
        precondition(role != .operation, "only a leaf's gradient can be updated")
        if gradient == nil { gradient = Tensor.zeros(value.shape) }
        body(&gradient!)
    }

    /// Nodes reachable from this one, inputs before the operations that use them.
    func topologicalOrder() -> [Variable] {
        var seen = Set<ObjectIdentifier>()
        var nodes: [Variable] = []
        var stack: [Variable] = [self]
        while let node = stack.popLast() {
            guard seen.insert(ObjectIdentifier(node)).inserted else { continue }
            nodes.append(node)
            stack.append(contentsOf: node.inputs)
        }
        // Recording order is a topological order: every input was created before its user.
        return nodes.sorted { $0.sequence < $1.sequence }
    }

    private func accumulate(_ g: Tensor) {
        if gradient == nil { gradient = g } else { gradient!.add(g) }
    }

    private func release() {
        inputs = []
        backwardFunction = nil
    }

    nonisolated(unsafe) private static var counter = 0
    private static let counterLock = NSLockLike()
    private static func nextSequence() -> Int {
        counterLock.withLock {
            counter += 1
            return counter
        }
    }
}

/// Switching the recording of operations off, for evaluation.
public enum Gradients {
    @TaskLocal static var recording = true

    /// Whether operations are being recorded for differentiation now.
    public static var isRecording: Bool { recording }

    /// Runs `body` without recording any operation: values only, no graph, less memory.
    /// Use it for validation, prediction and measurements.
    public static func withoutRecording<R>(_ body: () throws -> R) rethrows -> R {
        try $recording.withValue(false) { try body() }
    }
}
