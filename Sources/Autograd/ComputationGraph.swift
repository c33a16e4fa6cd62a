/// A drawable snapshot of a recorded computation: what Diagrams turns into Graphviz DOT.
///
/// It is plain data (no tensors), taken from a tape with `Tape.computationGraph()` or built
/// by hand for a lecture diagram. Nodes are listed in the order they were recorded, so
/// every node's `inputs` refer to earlier nodes.
/// Introduced in Chapter 1 (Foundation).
public struct ComputationGraph: Sendable, Equatable {
    /// What a node is, which is how a diagram styles it.
    public enum Role: String, Sendable, Equatable {
        /// Data fed in (token embeddings, a batch): no gradient wanted.
        case input
        /// A trainable parameter: a leaf whose gradient the optimiser uses.
        case parameter
        /// A constant (a mask, a scale).
        case constant
        /// The result of an operation recorded on the tape.
        case operation
    }

    public struct Node: Sendable, Equatable {
        /// Position in `nodes`.
        public var id: Int
        /// The operation's name (`matmul`, `softmax`, …) or, for a leaf, its variable name.
        public var op: String
        /// An optional human name given at record time (`"scores"`, `"W^Q"`).
        public var label: String?
        /// The value's shape, e.g. `[3, 4]`.
        public var shape: [Int]
        public var role: Role
        /// Ids of the nodes this one was computed from.
        public var inputs: [Int]
        /// ‖value‖₂, when the snapshot was taken with values.
        public var valueNorm: Float?
        /// ‖gradient‖₂, when a gradient has been computed.
        public var gradientNorm: Float?
        /// A small tensor's values (at most a handful), for hand-worked examples.
        public var values: [Float]?
        /// An optional group (drawn as a Graphviz cluster or colour), e.g. `"word → position"`.
        public var group: String?

        public init(id: Int, op: String, label: String? = nil, shape: [Int], role: Role,
                    inputs: [Int] = [], valueNorm: Float? = nil, gradientNorm: Float? = nil,
                    values: [Float]? = nil, group: String? = nil) {
            self.id = id; self.op = op; self.label = label; self.shape = shape; self.role = role
            self.inputs = inputs; self.valueNorm = valueNorm; self.gradientNorm = gradientNorm
            self.values = values; self.group = group
        }
    }

    public var nodes: [Node]

    public init(nodes: [Node] = []) { self.nodes = nodes }
}
