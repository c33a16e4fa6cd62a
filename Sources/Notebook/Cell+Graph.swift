import Foundation
import Autograd
import Diagrams

extension Cell {
    /// Draws a computation graph with Graphviz — `<name>.dot`, `<name>.svg` and `<name>.png`
    /// in the output folder — and records the files as one figure.
    ///
    ///     try cell.figure("attention-graph", graph: loss.computationGraph(valuesUpTo: 12),
    ///                     options: GraphDiagramOptions(showsNorms: true), caption: "One head")
    ///
    /// When Graphviz's `dot` is missing, the `.dot` file is still written and recorded, and
    /// the cell prints how to install Graphviz.
    /// - Throws: `DiagramError` when a file cannot be written or `dot` fails; `NotebookError`
    ///   as `figure(_:files:caption:)`.
    /// Introduced in Chapter 1.
    public func figure(_ name: String, graph: ComputationGraph,
                       options: GraphDiagramOptions = GraphDiagramOptions(), caption: String? = nil) throws {
        let rendered = try GraphvizRenderer().render(
            graph.dotDocument(options: options),
            to: notebook.outputDirectory.appendingPathComponent("\(name).dot"))
        if let note = rendered.note { print(note) }
        try figure(name, files: rendered.allFiles, caption: caption)
    }
}
