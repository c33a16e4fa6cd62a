import Autograd
import Diagrams
import Tensors
import XCTest

final class ComputationGraphDotTests: XCTestCase {
    /// softmax(x W^Q + mask), with W^Q and its product in the group "query".
    let graph = ComputationGraph(nodes: [
        .init(id: 0, op: "x", shape: [2, 3], role: .input),
        .init(id: 1, op: "W^Q", shape: [3, 4], role: .parameter, gradientNorm: 0.25, group: "query"),
        .init(id: 2, op: "mask", shape: [2, 4], role: .constant),
        .init(id: 3, op: "matmul", label: "scores", shape: [2, 4], role: .operation, inputs: [0, 1],
              valueNorm: 3.16228, gradientNorm: 0.5, group: "query"),
        .init(id: 4, op: "add", shape: [2, 4], role: .operation, inputs: [3, 2]),
        .init(id: 5, op: "softmax", shape: [2, 4], role: .operation, inputs: [4],
              values: [0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25]),
        .init(id: 6, op: "sum", shape: [], role: .operation, inputs: [5]),
    ])

    func node(_ id: String, in document: DotDocument) -> DotNode? {
        (document.nodes + document.subgraphs.flatMap(allNodes)).first { $0.id == id }
    }

    func allNodes(_ subgraph: DotSubgraph) -> [DotNode] {
        subgraph.nodes + subgraph.subgraphs.flatMap(allNodes)
    }

    func label(_ id: String, in document: DotDocument) -> String? {
        guard case .text(let text)? = node(id, in: document)?.attributes["label"] else { return nil }
        return text
    }

    func testEveryNodeAndEdgeIsPresent() {
        let document = graph.dotDocument()
        XCTAssertEqual(Set(document.allNodeIDs), Set((0..<7).map { "n\($0)" }))
        let edges = Set(document.edges.map { "\($0.from)->\($0.to)" })
        XCTAssertEqual(edges, ["n0->n3", "n1->n3", "n3->n4", "n2->n4", "n4->n5", "n5->n6"])
    }

    func testOperationsAreLabelledWithNameOpAndShape() {
        let document = graph.dotDocument()
        XCTAssertEqual(label("n3", in: document), "scores = matmul\n[2, 4]")
        XCTAssertEqual(label("n4", in: document), "add\n[2, 4]")
        XCTAssertEqual(label("n6", in: document), "sum\nscalar")
        XCTAssertEqual(label("n1", in: document), "W^Q\n[3, 4]")
        XCTAssertTrue(document.text.contains("\"label\"=\"scores = matmul\\n[2, 4]\""), document.text)
    }

    func testRolesAreStyledApart() {
        let document = graph.dotDocument()
        func attribute(_ id: String, _ name: String) -> DotValue? { node(id, in: document)?.attributes[name] }
        XCTAssertEqual(attribute("n0", "shape"), "ellipse")        // input
        XCTAssertEqual(attribute("n0", "fillcolor"), "#e6e6e6")
        XCTAssertEqual(attribute("n1", "shape"), "box")            // parameter
        XCTAssertEqual(attribute("n1", "fillcolor"), "#cfe2f3")
        XCTAssertEqual(attribute("n2", "style"), "dashed")         // constant
        XCTAssertEqual(attribute("n4", "style"), "rounded,filled") // operation
        let styles = Set(["n0", "n1", "n2", "n4"].map { node($0, in: document)?.attributes.merging(["label": ""]) })
        XCTAssertEqual(styles.count, 4, "the four roles must look different")
    }

    func testNormsAndValuesAppearOnlyWhenAskedFor() {
        XCTAssertFalse(graph.dot().contains("‖v‖"))
        var options = GraphDiagramOptions(showsNorms: true, showsValues: true, maximumValuesShown: 3)
        options.significantDigits = 3
        let document = graph.dotDocument(options: options)
        XCTAssertEqual(label("n3", in: document), "scores = matmul\n[2, 4]\n‖v‖=3.16  ‖∇‖=0.5")
        XCTAssertEqual(label("n1", in: document), "W^Q\n[3, 4]\n‖∇‖=0.25")
        XCTAssertEqual(label("n5", in: document), "softmax\n[2, 4]\nv = [0.1, 0.2, 0.3, …]")
        XCTAssertEqual(label("n0", in: document), "x\n[2, 3]", "no norms recorded, no norm line")
    }

    func testGroupsBecomeTintedClusters() {
        let document = graph.dotDocument()
        XCTAssertEqual(document.subgraphs.count, 1)
        let cluster = document.subgraphs[0]
        XCTAssertTrue(cluster.isCluster)
        XCTAssertEqual(cluster.attributes["label"], "query")
        XCTAssertEqual(Set(cluster.nodes.map(\.id)), ["n1", "n3"])
        XCTAssertEqual(cluster.attributes["color"], .text(Palette.categorical(0).hex))
        XCTAssertFalse(document.nodes.contains { $0.id == "n1" || $0.id == "n3" })
        let inner = document.edges.first { $0.from == "n1" && $0.to == "n3" }
        XCTAssertEqual(inner?.attributes["color"], .text(Palette.categorical(0).hex))
    }

    func testNestedGroupsAreClustersInClustersColouredByTheirInnerName() {
        let nested = ComputationGraph(nodes: [
            .init(id: 0, op: "P", shape: [4, 8], role: .parameter, group: "positions"),
            .init(id: 1, op: "matmul", shape: [4, 4], role: .operation, inputs: [0], group: "layer 1 / word → word"),
            .init(id: 2, op: "matmul", shape: [4, 4], role: .operation, inputs: [0], group: "layer 1 / position → position"),
            .init(id: 3, op: "matmul", shape: [4, 4], role: .operation, inputs: [0], group: "layer 2 / word → word"),
        ])
        let document = nested.dotDocument()
        XCTAssertEqual(document.subgraphs.map { $0.attributes["label"] }, ["positions", "layer 1", "layer 2"])
        let layer1 = document.subgraphs[1]
        XCTAssertEqual(layer1.subgraphs.map { $0.attributes["label"] }, ["word → word", "position → position"])
        XCTAssertEqual(layer1.subgraphs[0].attributes["color"], document.subgraphs[2].subgraphs[0].attributes["color"],
                       "the same term has the same colour in every layer")
        XCTAssertNotEqual(layer1.subgraphs[0].attributes["color"], layer1.subgraphs[1].attributes["color"])
        let names = (document.subgraphs + document.subgraphs.flatMap(\.subgraphs)).map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "cluster names must be unique")
    }

    func testColourStyleDrawsNoClustersButALegend() {
        let options = GraphDiagramOptions(groupStyle: .colours, showsLegend: true)
        let document = graph.dotDocument(options: options)
        XCTAssertEqual(document.subgraphs.map(\.name), ["cluster_legend"])
        XCTAssertEqual(node("n3", in: document)?.attributes["color"], .text(Palette.categorical(0).hex))
        XCTAssertEqual(node("legend_group0", in: document)?.attributes["label"], "query")
    }

    func testDirectionAndTitle() {
        XCTAssertEqual(graph.dotDocument().graphAttributes["rankdir"], "TB")
        let document = graph.dotDocument(options: GraphDiagramOptions(direction: .leftToRight, title: "one \"step\""))
        XCTAssertEqual(document.graphAttributes["rankdir"], "LR")
        XCTAssertTrue(document.text.contains("\"label\"=\"one \\\"step\\\"\""), document.text)
    }

    func testAnInputThatNamesNoNodeIsShownAsMissing() {
        let broken = ComputationGraph(nodes: [.init(id: 0, op: "relu", shape: [2], role: .operation, inputs: [7, 7])])
        let document = broken.dotDocument()
        XCTAssertEqual(document.nodes.filter { $0.id == "missing7" }.count, 1)
        XCTAssertEqual(document.edges.filter { $0.from == "missing7" }.count, 2)
    }

    func testAGraphRecordedByAutogradDraws() {
        let w = Variable(Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]), name: "W", role: .parameter)
        let x = Variable(Tensor(shape: [2, 3], repeating: 1), name: "x")
        let loss = sum(matmul(x, w))
        let document = loss.computationGraph(valuesUpTo: 4).dotDocument(options: GraphDiagramOptions(showsNorms: true))
        let text = document.text
        XCTAssertEqual(document.allNodeIDs.count, 4, text)
        XCTAssertEqual(document.edges.count, 3, text)
        XCTAssertTrue(text.contains("W\\n[3, 2]"), text)
        XCTAssertTrue(text.contains("matmul\\n[2, 2]"), text)
    }
}
