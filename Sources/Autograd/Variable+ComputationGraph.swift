import Tensors

extension Variable {
    /// A drawable snapshot of everything this value was computed from (call it before
    /// `backward()`, or after `backward(retainGraph: true)` to include gradients).
    ///
    /// - Parameter valuesUpTo: include the values of tensors with at most this many elements
    ///   (for hand-worked examples); 0 for none.
    public func computationGraph(valuesUpTo: Int = 0) -> ComputationGraph {
        let order = topologicalOrder()
        var ids: [ObjectIdentifier: Int] = [:]
        var graph = ComputationGraph()
        for (id, node) in order.enumerated() {
            ids[ObjectIdentifier(node)] = id
            graph.nodes.append(.init(
                id: id, op: node.name, label: node.label, shape: node.shape, role: node.role,
                inputs: node.inputs.compactMap { ids[ObjectIdentifier($0)] },
                valueNorm: node.value.l2Norm(), gradientNorm: node.gradient?.l2Norm(),
                values: node.value.count <= valuesUpTo ? node.value.scalars : nil,
                group: node.group))
        }
        return graph
    }
}

extension Tensor {
    /// ‖x‖₂, accumulated in Double.
    public func l2Norm() -> Float {
        var total = 0.0
        withUnsafeBufferPointer { for x in $0 { total += Double(x) * Double(x) } }
        return Float(total.squareRoot())
    }
}
