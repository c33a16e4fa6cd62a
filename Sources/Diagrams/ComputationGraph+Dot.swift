import Autograd
import Foundation

extension ComputationGraph {
    /// The computation as a Graphviz document: one node per recorded value, one edge from
    /// each input to the operation that used it.
    ///
    ///     let graph = loss.computationGraph(valuesUpTo: 4)
    ///     let document = graph.dotDocument(options: GraphDiagramOptions(showsNorms: true))
    ///     let files = try GraphvizRenderer().render(document, to: URL(fileURLWithPath: "out/chapter1/tape.dot"))
    ///
    /// Operations are white rounded boxes labelled "name = op" (or "op") over their shape;
    /// parameters are light-blue boxes, inputs grey ellipses and constants dashed ellipses.
    /// Nodes that share a `group` are boxed together in a tinted cluster (or coloured alike),
    /// each group in its own colour. An input id that names no node is drawn as a red
    /// "missing" node rather than dropped, so a broken snapshot shows itself.
    ///
    /// - Parameter options: direction, norms and values, how groups look, title, legend.
    /// - Returns: the document; `.text` is the DOT source.
    public func dotDocument(options: GraphDiagramOptions = GraphDiagramOptions()) -> DotDocument {
        var document = DotDocument(name: options.title ?? "computation")
        document.graphAttributes = ["rankdir": .text(options.direction.rawValue), "fontname": "Helvetica",
                                    "nodesep": "0.3", "ranksep": "0.35"]
        if let title = options.title {
            document.graphAttributes["label"] = .text(title)
            document.graphAttributes["labelloc"] = "t"
            document.graphAttributes["fontsize"] = "16"
        }
        document.nodeDefaults = ["fontname": "Helvetica", "fontsize": "11", "margin": "0.12,0.05"]
        document.edgeDefaults = ["color": "#555555", "arrowsize": "0.7"]

        // 1. A colour per group, in order of first appearance. Nested groups are coloured by
        //    their innermost name, so "layer 1 / word → word" and "layer 2 / word → word"
        //    look alike; clusters that only hold other clusters stay grey.
        var groupColours: [String: Colour] = [:]
        var groupOrder: [String] = []
        func colourName(_ group: String) -> String {
            ComputationGraph.path(of: group, options.groupSeparator).last ?? group
        }
        for node in nodes {
            guard let group = node.group else { continue }
            let name = colourName(group)
            guard groupColours[name] == nil else { continue }
            groupColours[name] = Palette.categorical(groupOrder.count)
            groupOrder.append(name)
        }

        // 2. Nodes, placed in their group's cluster or at top level.
        var tree = ClusterTree()
        let dotIDs = nodes.indices.map { "n\($0)" }
        for (index, node) in nodes.enumerated() {
            var attributes = ComputationGraph.style(of: node.role)
            attributes["label"] = .text(ComputationGraph.label(of: node, options))
            if let group = node.group, let colour = groupColours[colourName(group)] {
                if options.groupStyle == .colours || node.role == .operation {
                    attributes["color"] = .text(colour.hex)
                    attributes["penwidth"] = options.groupStyle == .colours ? "2" : "1.2"
                }
            }
            let dotNode = DotNode(dotIDs[index], attributes)
            if let group = node.group, options.groupStyle == .clusters {
                tree.insert(dotNode, path: ComputationGraph.path(of: group, options.groupSeparator))
            } else {
                document.nodes.append(dotNode)
            }
        }
        var clusterIndex = 0
        for child in tree.children {
            document.addSubgraph(child.subgraph(counter: &clusterIndex, colours: groupColours))
        }

        // 3. Edges from each input to its consumer, coloured inside a group.
        var indexOfID: [Int: Int] = [:]
        for (index, node) in nodes.enumerated() where indexOfID[node.id] == nil { indexOfID[node.id] = index }
        var missing: Set<Int> = []
        for (index, node) in nodes.enumerated() {
            for input in node.inputs {
                guard let source = indexOfID[input] else {
                    if missing.insert(input).inserted {
                        document.addNode("missing\(input)", ["label": .text("missing node #\(input)"), "shape": "box",
                                                             "style": "dashed", "color": "#d00000", "fontcolor": "#d00000"])
                    }
                    document.addEdge(from: "missing\(input)", to: dotIDs[index], ["color": "#d00000", "style": "dashed"])
                    continue
                }
                var attributes: DotAttributes = [:]
                if let group = node.group, group == nodes[source].group, let colour = groupColours[colourName(group)] {
                    attributes["color"] = .text(colour.hex)
                }
                document.addEdge(from: dotIDs[source], to: dotIDs[index], attributes)
            }
        }
        if options.showsLegend {
            let legend = ComputationGraph.legend(groups: options.groupStyle == .colours ? groupOrder : [],
                                                 colours: groupColours)
            document.addSubgraph(legend)
            // Unlinked nodes share a rank, which runs across the page top to bottom but down it
            // left to right; invisible links lay the key out in a row there too.
            if options.direction == .leftToRight {
                for (from, to) in zip(legend.nodes, legend.nodes.dropFirst()) {
                    document.addEdge(from: from.id, to: to.id, ["style": "invis"])
                }
            }
        }
        return document
    }

    /// The DOT source of `dotDocument(options:)`.
    public func dot(options: GraphDiagramOptions = GraphDiagramOptions()) -> String {
        dotDocument(options: options).text
    }

    // MARK: Node appearance

    /// The shape and colours of each role.
    static func style(of role: Role) -> DotAttributes {
        switch role {
        case .operation: return ["shape": "box", "style": "rounded,filled", "fillcolor": "#ffffff", "color": "#444444"]
        case .parameter: return ["shape": "box", "style": "filled", "fillcolor": "#cfe2f3", "color": "#3d6fa5"]
        case .input: return ["shape": "ellipse", "style": "filled", "fillcolor": "#e6e6e6", "color": "#777777"]
        case .constant: return ["shape": "ellipse", "style": "dashed", "color": "#777777", "fontcolor": "#444444"]
        }
    }

    /// "name = op" (operations) or the leaf's name, then the shape, then norms and values.
    static func label(of node: Node, _ options: GraphDiagramOptions) -> String {
        var lines: [String] = []
        if node.role == .operation {
            lines.append(node.label.map { "\($0) = \(node.op)" } ?? node.op)
        } else if let label = node.label, label != node.op {
            lines.append("\(label) (\(node.op))")
        } else {
            lines.append(node.op)
        }
        lines.append(node.shape.isEmpty ? "scalar" : "[" + node.shape.map(String.init).joined(separator: ", ") + "]")
        let digits = max(1, min(9, options.significantDigits))
        if options.showsNorms {
            var norms: [String] = []
            if let value = node.valueNorm { norms.append("‖v‖=" + format(value, digits)) }
            if let gradient = node.gradientNorm { norms.append("‖∇‖=" + format(gradient, digits)) }
            if !norms.isEmpty { lines.append(norms.joined(separator: "  ")) }
        }
        if options.showsValues, let values = node.values, !values.isEmpty {
            let shown = values.prefix(max(1, options.maximumValuesShown)).map { format($0, digits) }
            lines.append("v = [" + shown.joined(separator: ", ") + (values.count > shown.count ? ", …" : "") + "]")
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Float, _ digits: Int) -> String {
        value.isFinite ? String(format: "%.\(digits)g", Double(value)) : String(describing: value)
    }

    static func path(of group: String, _ separator: String?) -> [String] {
        guard let separator, !separator.isEmpty else { return [group] }
        let parts = group.components(separatedBy: separator).filter { !$0.isEmpty }
        return parts.isEmpty ? [group] : parts
    }

    /// A key to the node styles and, for the colours style, the groups.
    static func legend(groups: [String], colours: [String: Colour]) -> DotSubgraph {
        var legend = DotSubgraph(name: "cluster_legend", attributes: ["label": "key", "style": "rounded", "color": "#bbbbbb",
                                                                      "fontsize": "10"])
        let roles: [(Role, String)] = [(.input, "input"), (.parameter, "parameter"), (.constant, "constant"),
                                       (.operation, "operation")]
        for (role, name) in roles {
            var attributes = style(of: role)
            attributes["label"] = .text(name)
            attributes["fontsize"] = "9"
            legend.addNode("legend_\(name)", attributes)
        }
        for (index, group) in groups.enumerated() {
            legend.addNode("legend_group\(index)", ["label": .text(group), "shape": "box", "style": "rounded",
                                                    "color": .text(colours[group]?.hex ?? "#444444"),
                                                    "penwidth": "2", "fontsize": "9"])
        }
        return legend
    }
}

/// Groups split into nested clusters ("layer 1 / word → word" inside "layer 1").
private struct ClusterTree {
    var name = ""
    var nodes: [DotNode] = []
    var children: [ClusterTree] = []

    mutating func insert(_ node: DotNode, path: [String]) {
        guard let first = path.first else { nodes.append(node); return }
        if let index = children.firstIndex(where: { $0.name == first }) {
            children[index].insert(node, path: Array(path.dropFirst()))
        } else {
            var child = ClusterTree(name: first)
            child.insert(node, path: Array(path.dropFirst()))
            children.append(child)
        }
    }

    /// A cluster tinted with its group's colour (grey when it only holds other clusters).
    func subgraph(counter: inout Int, colours: [String: Colour]) -> DotSubgraph {
        let colour = colours[name] ?? Colour(hex: 0x888888)
        var subgraph = DotSubgraph(clusterNamed: name, index: counter, attributes: [
            "style": "rounded,filled", "color": .text(colour.hex),
            "fillcolor": .text(colour.mixed(with: .white, colours[name] == nil ? 0.92 : 0.9).hex),
            "fontcolor": .text(colour.hex), "fontsize": "12",
        ])
        counter += 1
        subgraph.nodes = nodes
        for child in children {
            subgraph.addSubgraph(child.subgraph(counter: &counter, colours: colours))
        }
        return subgraph
    }
}
