/// A Graphviz DOT document, built in code and written out as text for the `dot` program.
///
///     var document = DotDocument(name: "attention")
///     document.graphAttributes["rankdir"] = "LR"
///     document.addNode("q", ["label": "W^Q x", "shape": "box"])
///     document.addNode("k", ["label": "W^K x", "shape": "box"])
///     document.addNode("s", ["label": "QKᵀ/√D"])
///     document.addEdge(from: "q", to: "s")
///     document.addEdge(from: "k", to: "s")
///     print(document.text)        // digraph "attention" { … }
///
/// Every identifier and every text value is written quoted and escaped, so labels may hold
/// any Unicode (`"W^Q"`, `"√D"`, `"ᵀ"`), quotes, backslashes and line breaks.
/// Introduced in Chapter 1 (Foundation).
public struct DotDocument: Equatable, Sendable {
    /// A directed graph (`digraph`, edges `->`) or an undirected one (`graph`, edges `--`).
    public enum Kind: String, Equatable, Sendable {
        case directed = "digraph"
        case undirected = "graph"
    }

    /// The graph's name (written quoted after `digraph`).
    public var name: String
    public var kind: Kind
    /// Attributes of the whole graph (`rankdir`, `label`, `fontname`, …).
    public var graphAttributes: DotAttributes
    /// Defaults for every node (`node [ … ]`).
    public var nodeDefaults: DotAttributes
    /// Defaults for every edge (`edge [ … ]`).
    public var edgeDefaults: DotAttributes
    /// Subgraphs (clusters are drawn as boxes around their nodes), written first.
    public var subgraphs: [DotSubgraph]
    /// Nodes outside any subgraph.
    public var nodes: [DotNode]
    /// All edges (an edge may join nodes of different subgraphs).
    public var edges: [DotEdge]

    /// An empty document.
    ///
    /// - Parameters:
    ///   - name: the graph's name; any text.
    ///   - kind: directed (the default) or undirected.
    public init(name: String = "G", kind: Kind = .directed) {
        self.name = name
        self.kind = kind
        graphAttributes = [:]
        nodeDefaults = [:]
        edgeDefaults = [:]
        subgraphs = []
        nodes = []
        edges = []
    }

    /// Adds a node outside any subgraph.
    public mutating func addNode(_ id: String, _ attributes: DotAttributes = [:]) {
        nodes.append(DotNode(id, attributes))
    }

    /// Adds an edge `from -> to`.
    public mutating func addEdge(from: String, to: String, _ attributes: DotAttributes = [:]) {
        edges.append(DotEdge(from: from, to: to, attributes))
    }

    /// Adds a subgraph (a cluster when its `isCluster` is true).
    public mutating func addSubgraph(_ subgraph: DotSubgraph) {
        subgraphs.append(subgraph)
    }

    /// The ids of every node, in subgraphs (depth first) and outside them.
    public var allNodeIDs: [String] {
        subgraphs.flatMap(\.allNodeIDs) + nodes.map(\.id)
    }

    /// The document as DOT text, ready for `dot -Tsvg`.
    public var text: String {
        var lines = ["\(kind.rawValue) \(DotDocument.quoted(name)) {"]
        let indent = "  "
        if !graphAttributes.isEmpty { lines.append(indent + "graph " + graphAttributes.bracketed + ";") }
        if !nodeDefaults.isEmpty { lines.append(indent + "node " + nodeDefaults.bracketed + ";") }
        if !edgeDefaults.isEmpty { lines.append(indent + "edge " + edgeDefaults.bracketed + ";") }
        for subgraph in subgraphs { subgraph.write(into: &lines, indent: indent) }
        for node in nodes { lines.append(indent + node.statement) }
        let connector = kind == .directed ? " -> " : " -- "
        for edge in edges { lines.append(indent + edge.statement(connector: connector)) }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` as a double-quoted DOT string: `"` and `\` are escaped, line breaks become `\n`
    /// (a centred line break in a Graphviz label), tabs become spaces and other control
    /// characters are dropped. Unicode is kept as it is (DOT files are UTF-8).
    ///
    ///     DotDocument.quoted("say \"hi\"\nW^Q")   // "say \"hi\"\nW^Q"
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += " "
            case "\r": continue
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Escapes `&`, `<`, `>` and `"` for text placed inside an HTML-like label.
    public static func escapedForHTML(_ text: String) -> String {
        XMLText.escaped(text)
    }
}

/// A node statement: an id and its attributes.
/// Introduced in Chapter 1 (Foundation).
public struct DotNode: Equatable, Sendable {
    public var id: String
    public var attributes: DotAttributes

    public init(_ id: String, _ attributes: DotAttributes = [:]) {
        self.id = id
        self.attributes = attributes
    }

    var statement: String {
        DotDocument.quoted(id) + (attributes.isEmpty ? "" : " " + attributes.bracketed) + ";"
    }
}

/// An edge statement between two node ids.
/// Introduced in Chapter 1 (Foundation).
public struct DotEdge: Equatable, Sendable {
    public var from: String
    public var to: String
    public var attributes: DotAttributes

    public init(from: String, to: String, _ attributes: DotAttributes = [:]) {
        self.from = from
        self.to = to
        self.attributes = attributes
    }

    func statement(connector: String) -> String {
        DotDocument.quoted(from) + connector + DotDocument.quoted(to)
            + (attributes.isEmpty ? "" : " " + attributes.bracketed) + ";"
    }
}

/// A subgraph; as a cluster, Graphviz draws its nodes together inside a labelled box.
///
///     var term = DotSubgraph(clusterNamed: "word → word", index: 0)
///     term.attributes["style"] = "filled"
///     term.attributes["fillcolor"] = "#eef4fb"
///     term.addNode("scores0", ["label": "U Uᵀ"])
///
/// Introduced in Chapter 1 (Foundation).
public struct DotSubgraph: Equatable, Sendable {
    /// The subgraph's DOT name; Graphviz draws it as a cluster only if it begins with `cluster`.
    public var name: String
    public var attributes: DotAttributes
    public var nodes: [DotNode]
    /// Nested subgraphs (clusters inside clusters).
    public var subgraphs: [DotSubgraph]

    /// A plain subgraph (for example one with `rank=same`).
    public init(name: String, attributes: DotAttributes = [:]) {
        self.name = name
        self.attributes = attributes
        nodes = []
        subgraphs = []
    }

    /// A cluster labelled `label`; `index` keeps the DOT names of sibling clusters apart.
    public init(clusterNamed label: String, index: Int, attributes: DotAttributes = [:]) {
        self.init(name: "cluster_\(index)", attributes: attributes)
        self.attributes["label"] = .text(label)
    }

    /// Whether Graphviz draws this subgraph as a cluster.
    public var isCluster: Bool { name.hasPrefix("cluster") }

    public mutating func addNode(_ id: String, _ attributes: DotAttributes = [:]) {
        nodes.append(DotNode(id, attributes))
    }

    public mutating func addSubgraph(_ subgraph: DotSubgraph) {
        subgraphs.append(subgraph)
    }

    /// The ids of the nodes in this subgraph and in the ones nested inside it.
    public var allNodeIDs: [String] {
        nodes.map(\.id) + subgraphs.flatMap(\.allNodeIDs)
    }

    func write(into lines: inout [String], indent: String) {
        lines.append(indent + "subgraph " + DotDocument.quoted(name) + " {")
        let inner = indent + "  "
        for attribute in attributes.entries {
            lines.append(inner + DotDocument.quoted(attribute.name) + "=" + attribute.value.written + ";")
        }
        for subgraph in subgraphs { subgraph.write(into: &lines, indent: inner) }
        for node in nodes { lines.append(inner + node.statement) }
        lines.append(indent + "}")
    }
}
