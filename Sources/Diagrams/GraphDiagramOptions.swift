/// How `ComputationGraph.dotDocument(options:)` draws a recorded computation.
///
///     var options = GraphDiagramOptions(direction: .leftToRight)
///     options.showsNorms = true            // "‖v‖=3.162  ‖∇‖=0.5" under each node, as micrograd does
///     options.showsValues = true           // the values of tiny tensors
///     let dot = graph.dotDocument(options: options).text
///
/// Introduced in Chapter 1 (Foundation).
public struct GraphDiagramOptions: Equatable, Sendable {
    /// Which way data flows on the page.
    public enum Direction: String, Equatable, Sendable {
        case topToBottom = "TB"
        case leftToRight = "LR"
    }

    /// How nodes that share a `group` are shown.
    public enum GroupStyle: Equatable, Sendable {
        /// Each group inside its own labelled, tinted box (a Graphviz cluster); a group named
        /// `"layer 1 / word → word"` is a box inside the box `"layer 1"` (see `groupSeparator`).
        case clusters
        /// Each group's nodes and inner edges drawn in the group's colour, without boxes;
        /// the legend names the colours.
        case colours
    }

    public var direction: Direction
    /// Adds a line "‖v‖=…  ‖∇‖=…" with the norms the snapshot holds.
    public var showsNorms: Bool
    /// Adds a line with the values of nodes that carry them (tiny tensors).
    public var showsValues: Bool
    /// At most this many values are listed; the rest are elided with "…".
    public var maximumValuesShown: Int
    /// Significant digits of norms and values.
    public var significantDigits: Int
    public var groupStyle: GroupStyle
    /// Splits a group name into nested clusters; nil keeps every name whole.
    public var groupSeparator: String?
    /// A title above the graph.
    public var title: String?
    /// Adds a small key: what each node style means, and (with `.colours`) each group's colour.
    public var showsLegend: Bool

    public init(direction: Direction = .topToBottom, showsNorms: Bool = false, showsValues: Bool = false,
                maximumValuesShown: Int = 6, significantDigits: Int = 4, groupStyle: GroupStyle = .clusters,
                groupSeparator: String? = " / ", title: String? = nil, showsLegend: Bool = false) {
        self.direction = direction; self.showsNorms = showsNorms; self.showsValues = showsValues
        self.maximumValuesShown = maximumValuesShown; self.significantDigits = significantDigits
        self.groupStyle = groupStyle; self.groupSeparator = groupSeparator; self.title = title
        self.showsLegend = showsLegend
    }
}
