import Diagrams
import XCTest

final class DotDocumentTests: XCTestCase {
    func testQuotingEscapesQuotesBackslashesAndLineBreaks() {
        XCTAssertEqual(DotDocument.quoted("plain"), "\"plain\"")
        XCTAssertEqual(DotDocument.quoted("say \"hi\""), "\"say \\\"hi\\\"\"")
        XCTAssertEqual(DotDocument.quoted("a\\b"), "\"a\\\\b\"")
        XCTAssertEqual(DotDocument.quoted("ends with \\"), "\"ends with \\\\\"")
        XCTAssertEqual(DotDocument.quoted("two\nlines"), "\"two\\nlines\"")
        XCTAssertEqual(DotDocument.quoted("tab\there\r"), "\"tab here\"")
        XCTAssertEqual(DotDocument.quoted("bell\u{07}"), "\"bell\"")
    }

    func testQuotingKeepsUnicodeAsItIs() {
        for text in ["W^Q", "√D", "QKᵀ", "‖∇‖", "word → position", "αᵢⱼ", "θ_CLS", "emoji 🙂"] {
            XCTAssertEqual(DotDocument.quoted(text), "\"\(text)\"", text)
        }
    }

    func testAttributesKeepTheirOrderAndReplaceInPlace() {
        var attributes: DotAttributes = ["shape": "box", "label": "x", "color": "red"]
        attributes["label"] = "y"
        attributes["color"] = nil
        attributes["style"] = "dashed"
        XCTAssertEqual(attributes.entries.map(\.name), ["shape", "label", "style"])
        XCTAssertEqual(attributes["label"], .text("y"))
        XCTAssertNil(attributes["color"])
        let merged = attributes.merging(["shape": "ellipse", "penwidth": "2"])
        XCTAssertEqual(merged.entries.map(\.name), ["shape", "label", "style", "penwidth"])
        XCTAssertEqual(merged["shape"], .text("ellipse"))
    }

    func testDocumentTextHasEveryStatement() {
        var document = DotDocument(name: "attention")
        document.graphAttributes["rankdir"] = "LR"
        document.nodeDefaults["fontname"] = "Helvetica"
        document.edgeDefaults["arrowsize"] = "0.7"
        document.addNode("q", ["label": "W^Q x"])
        document.addNode("s", ["label": "QKᵀ/√D"])
        document.addEdge(from: "q", to: "s", ["color": "#0072b2"])
        let text = document.text
        XCTAssertTrue(text.hasPrefix("digraph \"attention\" {\n"), text)
        XCTAssertTrue(text.hasSuffix("}\n"), text)
        XCTAssertTrue(text.contains("  graph [\"rankdir\"=\"LR\"];"), text)
        XCTAssertTrue(text.contains("  node [\"fontname\"=\"Helvetica\"];"), text)
        XCTAssertTrue(text.contains("  edge [\"arrowsize\"=\"0.7\"];"), text)
        XCTAssertTrue(text.contains("  \"q\" [\"label\"=\"W^Q x\"];"), text)
        XCTAssertTrue(text.contains("  \"s\" [\"label\"=\"QKᵀ/√D\"];"), text)
        XCTAssertTrue(text.contains("  \"q\" -> \"s\" [\"color\"=\"#0072b2\"];"), text)
    }

    func testUndirectedGraphsUseTheUndirectedConnector() {
        var document = DotDocument(name: "pair", kind: .undirected)
        document.addEdge(from: "a", to: "b")
        XCTAssertTrue(document.text.hasPrefix("graph \"pair\" {"))
        XCTAssertTrue(document.text.contains("\"a\" -- \"b\";"))
    }

    func testClustersNestAndCollectTheirNodes() {
        var layer = DotSubgraph(clusterNamed: "layer 1", index: 0)
        var term = DotSubgraph(clusterNamed: "word → word", index: 1, attributes: ["style": "filled"])
        term.addNode("ww", ["label": "U Uᵀ"])
        layer.addSubgraph(term)
        layer.addNode("sum")
        var document = DotDocument()
        document.addSubgraph(layer)
        document.addNode("out")
        XCTAssertTrue(layer.isCluster)
        XCTAssertFalse(DotSubgraph(name: "same rank").isCluster)
        XCTAssertEqual(document.allNodeIDs, ["sum", "ww", "out"])
        let text = document.text
        XCTAssertTrue(text.contains("  subgraph \"cluster_0\" {\n    \"label\"=\"layer 1\";"), text)
        XCTAssertTrue(text.contains("    subgraph \"cluster_1\" {\n      \"style\"=\"filled\";\n      \"label\"=\"word → word\";"), text)
        XCTAssertTrue(text.contains("      \"ww\" [\"label\"=\"U Uᵀ\"];"), text)
    }

    func testHTMLLabelsAreWrittenBetweenAngleBrackets() {
        var document = DotDocument()
        let body = "<b>" + DotDocument.escapedForHTML("a < b & \"c\"") + "</b>"
        document.addNode("n", ["label": .html(body)])
        XCTAssertTrue(document.text.contains("\"label\"=<<b>a &lt; b &amp; &quot;c&quot;</b>>"), document.text)
    }

    func testNamesThatAreDotKeywordsStayQuoted() {
        var document = DotDocument(name: "graph")
        document.addNode("node")
        document.addEdge(from: "edge", to: "subgraph")
        XCTAssertTrue(document.text.contains("\"node\";"))
        XCTAssertTrue(document.text.contains("\"edge\" -> \"subgraph\";"))
    }
}
