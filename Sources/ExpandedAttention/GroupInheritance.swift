import Autograd

extension ComputationGraph {
    /// The same graph with each ungrouped operation placed in the group of its consumers,
    /// when they all share one — so a branch drawn as a cluster holds every step of the
    /// branch, not only its last node. Leaves (inputs, parameters) keep their own place:
    /// `W^Q` feeds several branches and belongs to none.
    ///
    ///     let graph = logits.computationGraph().inheritingGroups()
    ///
    /// Introduced in Chapter 2.
    public func inheritingGroups() -> ComputationGraph {
        var result = self
        var indexOfID: [Int: Int] = [:]
        for (index, node) in nodes.enumerated() where indexOfID[node.id] == nil { indexOfID[node.id] = index }
        var consumers: [[Int]] = Array(repeating: [], count: nodes.count)
        for (index, node) in nodes.enumerated() {
            for input in node.inputs { if let source = indexOfID[input] { consumers[source].append(index) } }
        }
        // Nodes are in recording order, so walking backwards sees every consumer first.
        for index in nodes.indices.reversed() where result.nodes[index].group == nil && result.nodes[index].role == .operation {
            let groups = Set(consumers[index].map { result.nodes[$0].group })
            if groups.count == 1, let group = groups.first ?? nil { result.nodes[index].group = group }
        }
        return result
    }
}
