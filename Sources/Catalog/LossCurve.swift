import Diagrams
import Transformer

extension PretrainingRun {
    /// The training and validation loss per update, with the unigram baseline: the chart
    /// `tenfold train` writes as `loss-curve.svg` and chapter 1 shows.
    ///
    ///     try run.lossCurve(title: "BERT-A masked-LM loss").write(to: url)
    ///
    /// Introduced in Chapter 1.
    public func lossCurve(title: String = "Masked-LM loss") -> LineChart {
        let history = trainer.history
        var chart = LineChart(title: title, xLabel: "update", yLabel: "cross-entropy (nats)")
        chart.add(.init("training", x: history.map { Double($0.step) }, y: history.map(\.loss)))
        let validated = history.compactMap { m in m.validationLoss.map { (Double(m.step), $0) } }
        chart.add(.init("validation", x: validated.map(\.0), y: validated.map(\.1)))
        chart.addReferenceLine("unigram baseline", y: Double(unigramBaseline))
        return chart
    }
}
