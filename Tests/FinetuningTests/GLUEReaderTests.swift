import XCTest
@testable import Finetuning

/// The reader on small files in the GLUE distribution's layouts, one task kind at a time.
final class GLUEReaderTests: XCTestCase {
    var folder: URL!

    override func setUp() { folder = Fixture.temporaryFolder() }
    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    private func read(_ task: GLUETask, _ split: GLUESplit) throws -> GLUEDataset {
        try GLUEReader(task: task, folder: folder).read(split)
    }

    func testCoLAHeaderlessTrainAndHeaderedTest() throws {
        // train.tsv and dev.tsv: no header; source, label, original annotation (* or empty), sentence.
        Fixture.write([
            Fixture.row("gj04", "1", "", "Our friends won't buy this analysis, let alone the next one we propose."),
            Fixture.row("gj04", "0", "*", "They drank the pub."),
        ], to: "train.tsv", in: folder)
        Fixture.write([Fixture.row("clc95", "1", "", "The pond froze solid.")], to: "dev.tsv", in: folder)
        Fixture.write([
            Fixture.row("index", "sentence"),
            Fixture.row("0", "Bill whistled past the house."),
            Fixture.row("1", "The car honked its way down the road."),
        ], to: "test.tsv", in: folder)

        let train = try read(.cola, .train)
        XCTAssertEqual(train.examples, [
            GLUEExample(index: 0, line: 1, sentence1: "Our friends won't buy this analysis, let alone the next one we propose.",
                        label: .category(1)),
            GLUEExample(index: 1, line: 2, sentence1: "They drank the pub.", label: .category(0)),
        ])
        XCTAssertEqual(train.skippedLines, [])
        XCTAssertEqual(try read(.cola, .dev).examples.map(\.sentence1), ["The pond froze solid."])
        let test = try read(.cola, .test)
        XCTAssertEqual(test.examples, [
            GLUEExample(index: 0, line: 2, sentence1: "Bill whistled past the house."),
            GLUEExample(index: 1, line: 3, sentence1: "The car honked its way down the road."),
        ])
        XCTAssertEqual(test.split, .test)
        XCTAssertEqual(test.path, folder.appendingPathComponent("test.tsv").path)
    }

    func testSST2KeepsQuotesAndSpacesAsText() throws {
        // An unbalanced quote would make a CSV reader swallow the next line; here it is text.
        Fixture.write([
            Fixture.row("sentence", "label"),
            Fixture.row("it 's a \"charming and often affecting journey . ", "1"),
            Fixture.row("unflinchingly bleak and desperate ", "0"),
            Fixture.row("the \"\" acting is '' fine", "1"),
        ], to: "train.tsv", in: folder)
        Fixture.write([Fixture.row("index", "sentence"), Fixture.row("0", "uneasy mishmash of styles and genres .")],
                      to: "test.tsv", in: folder)
        let train = try read(.sst2, .train)
        XCTAssertEqual(train.examples.map(\.sentence1), [
            "it 's a \"charming and often affecting journey . ",
            "unflinchingly bleak and desperate ",
            "the \"\" acting is '' fine",
        ])
        XCTAssertEqual(train.examples.map(\.label), [.category(1), .category(0), .category(1)])
        XCTAssertEqual(train.examples.map(\.index), [0, 1, 2])
        XCTAssertNil(train.examples[0].sentence2)
        XCTAssertEqual(try read(.sst2, .test).examples,
                       [GLUEExample(index: 0, line: 2, sentence1: "uneasy mishmash of styles and genres .")])
    }

    func testMRPCWithByteOrderMarkAndQuotes() throws {
        // The header of MRPC's train.tsv and dev.tsv starts with a UTF-8 byte order mark.
        let header = Fixture.row("Quality", "#1 ID", "#2 ID", "#1 String", "#2 String")
        let lines = [
            Fixture.row("1", "702876", "702977",
                        "Amrozi accused his brother, whom he called \"the witness\", of deliberately distorting his evidence.",
                        "Referring to him as only \"the witness\", Amrozi accused his brother of deliberately distorting his evidence."),
            Fixture.row("0", "1355540", "1355592",
                        "He said the foodservice pie business doesn't fit the company's long-term growth strategy.",
                        "\"The foodservice pie business does not fit our long-term growth strategy."),
        ]
        Fixture.write([0xEF, 0xBB, 0xBF] + Array(([header] + lines).map { $0 + "\n" }.joined().utf8),
                      to: "train.tsv", in: folder)
        Fixture.write([
            Fixture.row("index", "#1 ID", "#2 ID", "#1 String", "#2 String"),
            Fixture.row("0", "1089874", "1089925",
                        "PCCW's chief operating officer, Mike Butcher, and Alex Arena, the chief financial officer, will report directly to Mr So.",
                        "Current Chief Operating Officer Mike Butcher and Group Chief Financial Officer Alex Arena will report to So."),
        ], to: "test.tsv", in: folder)

        let train = try read(.mrpc, .train)
        XCTAssertEqual(train.examples.count, 2)
        XCTAssertEqual(train.examples[0].label, .category(1))
        XCTAssertEqual(train.examples[1].label, .category(0))
        XCTAssertEqual(train.examples[1].sentence2, "\"The foodservice pie business does not fit our long-term growth strategy.")
        XCTAssertEqual(train.examples[0].sentence1.first, "A")
        XCTAssertEqual(train.examples.map(\.index), [0, 1])
        let test = try read(.mrpc, .test)
        XCTAssertEqual(test.examples.first?.index, 0)
        XCTAssertEqual(test.examples.first?.sentence2?.hasPrefix("Current Chief"), true)
        XCTAssertNil(test.examples.first?.label)
    }

    func testSTSBScores() throws {
        let header = Fixture.row("index", "genre", "filename", "year", "old_index", "source1", "source2",
                                 "sentence1", "sentence2", "score")
        Fixture.write([
            header,
            Fixture.row("0", "main-captions", "MSRvid", "2012test", "0001", "none", "none",
                        "A plane is taking off.", "An air plane is taking off.", "5.000"),
            Fixture.row("1", "main-captions", "MSRvid", "2012test", "0004", "none", "none",
                        "A man is playing a large flute.", "A man is playing a flute.", "3.800"),
            Fixture.row("2", "main-news", "headlines", "2013", "0010", "none", "none",
                        "Obama signs bill.", "Stocks fall.", "0.000"),
        ], to: "train.tsv", in: folder)
        Fixture.write([
            Fixture.row("index", "genre", "filename", "year", "old_index", "source1", "source2", "sentence1", "sentence2"),
            Fixture.row("0", "main-captions", "MSRvid", "2012test", "0024", "none", "none",
                        "A girl is styling her hair.", "A girl is brushing her hair."),
        ], to: "test.tsv", in: folder)

        let train = try read(.stsb, .train)
        XCTAssertEqual(train.examples.map(\.label), [.score(5), .score(3.8), .score(0)])
        XCTAssertEqual(train.examples[1].sentence1, "A man is playing a large flute.")
        XCTAssertEqual(train.examples[1].sentence2, "A man is playing a flute.")
        XCTAssertEqual(try read(.stsb, .test).examples,
                       [GLUEExample(index: 0, line: 2, sentence1: "A girl is styling her hair.",
                                    sentence2: "A girl is brushing her hair.")])
    }

    func testQQPSkipsBrokenLinesInTrainingFilesOnly() throws {
        // A question broken over two lines: line 3 has 4 columns, line 4 has 3.
        Fixture.write([
            Fixture.row("id", "qid1", "qid2", "question1", "question2", "is_duplicate"),
            Fixture.row("201359", "303345", "303346", "Why are African-Americans so beautiful?", "Why are hispanics so beautiful?", "0"),
            Fixture.row("133273", "213221", "213222", "How is the life of a math student? Could you describe your own"),
            Fixture.row(" experiences?", "Which level of prepration is enough for the exam jlpt5?", "0"),
            Fixture.row("172974", "266948", "175089", "Is there a reason why we should travel alone?",
                        "What are some reasons to travel alone?", "1"),
        ], to: "train.tsv", in: folder)
        Fixture.write([
            Fixture.row("id", "question1", "question2"),
            Fixture.row("0", "Why do rockets look white?", "Why are rockets and boosters painted white?"),
            Fixture.row("1", "What's causing someone to be jealous?", "What can I do to avoid being jealous of someone?"),
        ], to: "test.tsv", in: folder)

        let train = try read(.qqp, .train)
        XCTAssertEqual(train.examples.map(\.index), [201359, 172974])
        XCTAssertEqual(train.examples.map(\.label), [.category(0), .category(1)])
        XCTAssertEqual(train.examples.map(\.line), [2, 5])
        XCTAssertEqual(train.skippedLines, [3, 4])
        let test = try read(.qqp, .test)
        XCTAssertEqual(test.examples.map(\.index), [0, 1])
        XCTAssertEqual(test.examples[1].sentence2, "What can I do to avoid being jealous of someone?")
    }

    func testMNLIMatchedAndMismatchedFiles() throws {
        let common = ["index", "promptID", "pairID", "genre", "sentence1_binary_parse", "sentence2_binary_parse",
                      "sentence1_parse", "sentence2_parse", "sentence1", "sentence2"]
        func row(_ index: String, _ genre: String, _ premise: String, _ hypothesis: String, _ labels: [String]) -> String {
            ([index, "31193", "31193n", genre, "( ( A ) B )", "( C D )", "(ROOT (S A))", "(ROOT (S B))", premise, hypothesis]
             + labels).joined(separator: "\t")
        }
        // train.tsv: one annotator label and the gold label; the dev files: five and the gold label.
        Fixture.write([(common + ["label1", "gold_label"]).joined(separator: "\t"),
                       row("0", "government", "Conceptually cream skimming has two basic dimensions.",
                           "Product and geography are what make cream skimming work.", ["neutral", "neutral"])],
                      to: "train.tsv", in: folder)
        let devHeader = (common + ["label1", "label2", "label3", "label4", "label5", "gold_label"]).joined(separator: "\t")
        Fixture.write([devHeader,
                       row("0", "slate", "The new rights are nice enough", "Everyone really likes the newest benefits ",
                           ["neutral", "entailment", "neutral", "neutral", "neutral", "neutral"]),
                       row("1", "slate", "This site includes a list of all award winners.", "The Government Executive articles are not on the website.",
                           ["contradiction", "contradiction", "contradiction", "contradiction", "contradiction", "contradiction"])],
                      to: "dev_matched.tsv", in: folder)
        Fixture.write([devHeader,
                       row("0", "letters", "Your contribution helped make it possible.", "Your contributions were of no help.",
                           ["contradiction", "contradiction", "contradiction", "contradiction", "contradiction", "contradiction"])],
                      to: "dev_mismatched.tsv", in: folder)
        Fixture.write([common.joined(separator: "\t"),
                       row("0", "slate", "Hierbas, ans seco, ans dulce, and frigola are just a few names worth keeping a look-out for.",
                           "Hierbas is a name worth looking out for.", [])],
                      to: "test_matched.tsv", in: folder)
        Fixture.write([common.joined(separator: "\t"),
                       row("0", "letters", "What have you decided, what are you going to do?", "So what's your decision?", []),
                       row("1", "letters", "Women's organizations?", "Men's groups?", [])],
                      to: "test_mismatched.tsv", in: folder)

        XCTAssertEqual(try read(.mnli, .train).examples.map(\.label), [.category(1)])
        let matched = try read(.mnli, .devMatched)
        XCTAssertEqual(matched.examples.map(\.label), [.category(1), .category(2)])
        XCTAssertEqual(matched.examples[0].sentence2, "Everyone really likes the newest benefits ")
        XCTAssertEqual(matched.resultName, "MNLI-m")
        let mismatched = try read(.mnli, .devMismatched)
        XCTAssertEqual(mismatched.examples.map(\.label), [.category(2)])
        XCTAssertEqual(mismatched.resultName, "MNLI-mm")
        XCTAssertEqual(try read(.mnli, .testMatched).examples.map(\.sentence2), ["Hierbas is a name worth looking out for."])
        let testMismatched = try read(.mnli, .testMismatched)
        XCTAssertEqual(testMismatched.examples.map(\.index), [0, 1])
        XCTAssertTrue(testMismatched.examples.allSatisfy { $0.label == nil })
        // MNLI has no dev.tsv.
        assertDataError(.splitNotInTask(task: "MNLI", split: "dev",
                                        available: ["train", "dev_matched", "dev_mismatched", "test_matched", "test_mismatched"]),
                        naming: "dev_matched") { try read(.mnli, .dev) }
    }

    func testQNLIColumnsAreFoundByNameInAnyOrder() throws {
        Fixture.write([
            Fixture.row("index", "question", "sentence", "label"),
            Fixture.row("0", "What came into force after the new constitution was herald?",
                        "As of that day, the new constitution heralding the Second Republic came into force.", "entailment"),
        ], to: "train.tsv", in: folder)
        // The same columns in another order still read.
        Fixture.write([
            Fixture.row("label", "sentence", "index", "question"),
            Fixture.row("not_entailment", "Unlike the two seasons before it, Digimon Tamers takes a darker approach.", "7",
                        "When did the third Digimon series begin?"),
        ], to: "dev.tsv", in: folder)
        XCTAssertEqual(try read(.qnli, .train).examples.map(\.label), [.category(0)])
        XCTAssertEqual(try read(.qnli, .dev).examples, [
            GLUEExample(index: 7, line: 2, sentence1: "When did the third Digimon series begin?",
                        sentence2: "Unlike the two seasons before it, Digimon Tamers takes a darker approach.",
                        label: .category(1)),
        ])
    }

    func testRTEAndWNLIWithWindowsLineEndsAndBlankLines() throws {
        let rte = folder.appendingPathComponent("RTE")
        let wnli = folder.appendingPathComponent("WNLI")
        try FileManager.default.createDirectory(at: rte, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: wnli, withIntermediateDirectories: true)
        // \r\n line ends and a blank last line are tolerated.
        Fixture.write(Array(("index\tsentence1\tsentence2\tlabel\r\n"
                             + "0\tDana Reeve, the widow of the actor Christopher Reeve, has died.\tChristopher Reeve had an accident.\tnot_entailment\r\n"
                             + "\r\n").utf8), to: "dev.tsv", in: rte)
        Fixture.write([
            Fixture.row("index", "sentence1", "sentence2", "label"),
            Fixture.row("0", "I stuck a pin through a carrot. When I pulled the pin out, it had a hole.", "The carrot had a hole.", "1"),
            "",
            Fixture.row("1", "John couldn't see the stage with Billy in front of him because he is so short.", "John is so short.", "1"),
        ], to: "train.tsv", in: wnli)
        let dev = try GLUEReader(task: .rte, folder: rte).read(.dev)
        XCTAssertEqual(dev.examples.map(\.label), [.category(1)])
        XCTAssertEqual(dev.examples[0].sentence2, "Christopher Reeve had an accident.")
        let train = try GLUEReader(task: .wnli, folder: wnli).read(.train)
        XCTAssertEqual(train.examples.map(\.index), [0, 1])
        XCTAssertEqual(train.examples.map(\.line), [2, 4])
        XCTAssertEqual(train.examples.map(\.label), [.category(1), .category(1)])
    }

    func testLastLineWithoutLineEnd() throws {
        Fixture.write(Array("index\tsentence\n0\tFirst .\n1\tLast, with no line end .".utf8), to: "test.tsv", in: folder)
        XCTAssertEqual(try read(.sst2, .test).examples.map(\.sentence1), ["First .", "Last, with no line end ."])
    }

    func testLongFileReadAcrossChunks() throws {
        // More than one 1 MiB chunk: lines that straddle a chunk boundary read whole.
        var lines = [Fixture.row("sentence", "label")]
        for i in 0..<30_000 { lines.append(Fixture.row("sentence number \(i) with some padding text to make it longer .", String(i % 2))) }
        Fixture.write(lines, to: "train.tsv", in: folder)
        let train = try read(.sst2, .train)
        XCTAssertEqual(train.examples.count, 30_000)
        XCTAssertEqual(train.examples[29_999].sentence1, "sentence number 29999 with some padding text to make it longer .")
        XCTAssertEqual(train.examples[29_999].label, .category(1))
        XCTAssertEqual(train.examples[29_999].line, 30_001)
    }
}
