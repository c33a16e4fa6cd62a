import XCTest
@testable import Finetuning

/// The metric functions against values worked out by hand (and, where noted, checked with
/// SciPy / scikit-learn's definitions).
final class MetricTests: XCTestCase {
    func testAccuracy() {
        XCTAssertEqual(accuracy(predictions: [1, 0, 1, 1], labels: [1, 0, 0, 1]), 0.75)
        XCTAssertEqual(accuracy(predictions: ["entailment", "neutral"], labels: ["entailment", "contradiction"]), 0.5)
        XCTAssertEqual(accuracy(predictions: [Int](), labels: []), 0)
    }

    func testConfusionMatrix() {
        let matrix = BinaryConfusionMatrix(predictions: [1, 1, 0, 0, 1], labels: [1, 0, 1, 0, 1])
        XCTAssertEqual(matrix, BinaryConfusionMatrix(truePositives: 2, falsePositives: 1,
                                                     falseNegatives: 1, trueNegatives: 1))
        XCTAssertEqual(matrix.count, 5)
        // Another positive class: 0 is positive, 1 negative.
        XCTAssertEqual(BinaryConfusionMatrix(predictions: [1, 1, 0, 0, 1], labels: [1, 0, 1, 0, 1], positive: 0),
                       BinaryConfusionMatrix(truePositives: 1, falsePositives: 1, falseNegatives: 1, trueNegatives: 2))
    }

    func testF1() {
        // predictions 1 1 1 0 0 1
        // labels      1 0 1 1 0 0
        // TP = 2 (positions 0, 2), FP = 2 (1, 5), FN = 1 (3), TN = 1 (4).
        // precision = 2/4, recall = 2/3, F1 = 2·2 / (2·2 + 2 + 1) = 4/7
        // (= 2 · ½ · ⅔ / (½ + ⅔) = ⅔ / (7/6) = 4/7).
        let score = f1Score(predictions: [1, 1, 1, 0, 0, 1], labels: [1, 0, 1, 1, 0, 0])
        XCTAssertEqual(score.precision, 0.5, accuracy: 1e-15)
        XCTAssertEqual(score.recall, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(score.f1, 4.0 / 7, accuracy: 1e-15)
        XCTAssertEqual(score.f1, 2 * score.precision * score.recall / (score.precision + score.recall), accuracy: 1e-15)
    }

    func testF1DegenerateCasesAreZero() {
        // No positive predicted and none to find: every ratio is 0/0, reported as 0.
        XCTAssertEqual(f1Score(predictions: [0, 0], labels: [0, 0]), F1Score(BinaryConfusionMatrix(
            truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 2)))
        let none = f1Score(predictions: [0, 0], labels: [0, 0])
        XCTAssertEqual([none.precision, none.recall, none.f1], [0, 0, 0])
        // Positives to find but none predicted: precision 0/0 → 0, recall 0/2, F1 0.
        let missed = f1Score(predictions: [0, 0, 0], labels: [1, 1, 0])
        XCTAssertEqual([missed.precision, missed.recall, missed.f1], [0, 0, 0])
        // Everything right.
        XCTAssertEqual(f1Score(predictions: [1, 0, 1], labels: [1, 0, 1]).f1, 1)
    }

    func testMatthewsCorrelationOfAKnownMatrix() {
        // TP = 6, FP = 1, FN = 2, TN = 3:
        //   numerator   = TP·TN − FP·FN = 18 − 2 = 16
        //   denominator = √((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = √(7·8·4·5) = √1120 = 4√70
        //   MCC = 16 / (4√70) = 4/√70 ≈ 0.478091
        let matrix = BinaryConfusionMatrix(truePositives: 6, falsePositives: 1, falseNegatives: 2, trueNegatives: 3)
        XCTAssertEqual(matthewsCorrelation(matrix), 4 / 70.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(matthewsCorrelation(matrix), 0.478091, accuracy: 1e-6)
        // The same counts as arrays: 6 TP, 1 FP, 2 FN, 3 TN.
        let predictions = [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
        let labels = [1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 0]
        XCTAssertEqual(matthewsCorrelation(predictions: predictions, labels: labels), 4 / 70.0.squareRoot(),
                       accuracy: 1e-15)
        // scikit-learn's documented example: y_true [+1, +1, +1, −1], y_pred [+1, −1, +1, +1]
        // gives TP 2, FN 1, FP 1, TN 0: (0 − 1) / √(3·3·1·1) = −1/3.
        XCTAssertEqual(matthewsCorrelation(predictions: [1, 0, 1, 1], labels: [1, 1, 1, 0]), -1.0 / 3, accuracy: 1e-15)
        // Symmetric in which class is called positive.
        XCTAssertEqual(matthewsCorrelation(predictions: predictions, labels: labels, positive: 0),
                       matthewsCorrelation(predictions: predictions, labels: labels), accuracy: 1e-15)
    }

    func testMatthewsCorrelationExtremesAndZeroDenominators() {
        XCTAssertEqual(matthewsCorrelation(predictions: [1, 0, 1, 0], labels: [1, 0, 1, 0]), 1)
        XCTAssertEqual(matthewsCorrelation(predictions: [0, 1, 0, 1], labels: [1, 0, 1, 0]), -1)
        // Every prediction the same class: TP + FP = 0 or TN + FN = 0, so 0 (as scikit-learn).
        XCTAssertEqual(matthewsCorrelation(predictions: [1, 1, 1, 1], labels: [1, 0, 1, 0]), 0)
        XCTAssertEqual(matthewsCorrelation(predictions: [0, 0, 0, 0], labels: [1, 0, 1, 0]), 0)
        // Every label the same class.
        XCTAssertEqual(matthewsCorrelation(predictions: [1, 0, 1, 0], labels: [1, 1, 1, 1]), 0)
        XCTAssertEqual(matthewsCorrelation(predictions: [Int](), labels: []), 0)
        // Large counts: the integer numerator 4·10¹⁰ stays exact. TP = TN = 200 000, FP = FN = 0.
        XCTAssertEqual(matthewsCorrelation(BinaryConfusionMatrix(truePositives: 200_000, falsePositives: 0,
                                                                 falseNegatives: 0, trueNegatives: 200_000)), 1)
    }

    func testPearson() {
        // x = 1 2 3 4 5, x̄ = 3, x − x̄ = −2 −1 0 1 2
        // y = 2 4 5 4 5, ȳ = 4, y − ȳ = −2  0 1 0 1
        // Σ(x−x̄)(y−ȳ) = 4 + 0 + 0 + 0 + 2 = 6; Σ(x−x̄)² = 10; Σ(y−ȳ)² = 6
        // r = 6 / √60 ≈ 0.774597 (SciPy's pearsonr gives 0.7745966692414835)
        XCTAssertEqual(pearsonCorrelation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]), 6 / 60.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(pearsonCorrelation([1, 2, 3], [2, 4, 6]), 1, accuracy: 1e-15)
        XCTAssertEqual(pearsonCorrelation([1, 2, 3], [3, 2, 1]), -1, accuracy: 1e-15)
        // Large, close values: the two-pass sums stay accurate.
        XCTAssertEqual(pearsonCorrelation([1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4, 1e9 + 5], [2, 4, 5, 4, 5]),
                       6 / 60.0.squareRoot(), accuracy: 1e-9)
    }

    func testPearsonDegenerateCasesAreZero() {
        // A constant list has no variance: 0/0, reported as 0 (SciPy: NaN and a warning).
        XCTAssertEqual(pearsonCorrelation([2.5, 2.5, 2.5], [1, 2, 3]), 0)
        XCTAssertEqual(pearsonCorrelation([1, 2, 3], [4, 4, 4]), 0)
        XCTAssertEqual(pearsonCorrelation([1], [2]), 0)
        XCTAssertEqual(pearsonCorrelation([], []), 0)
    }

    func testAverageRanks() {
        // sorted: 10 (position 0), 10 (4), 20 (1), 20 (2), 30 (3)
        // the two 10s span ranks 1, 2 → 1.5; the two 20s span 3, 4 → 3.5; 30 has rank 5.
        XCTAssertEqual(averageRanks([10, 20, 20, 30, 10]), [1.5, 3.5, 3.5, 5, 1.5])
        XCTAssertEqual(averageRanks([3, 1, 2]), [3, 1, 2])
        XCTAssertEqual(averageRanks([7, 7, 7]), [2, 2, 2])
        XCTAssertEqual(averageRanks([]), [])
    }

    func testSpearmanWithTies() {
        // x = 1 2 3 4 5         ranks 1 2 3 4 5,              mean 3, deviations −2 −1 0 1 2
        // y = 10 20 20 30 10    ranks 1.5 3.5 3.5 5 1.5 (above), mean 15/5 = 3,
        //                       deviations −1.5 0.5 0.5 2 −1.5
        // Σ products = 3 − 0.5 + 0 + 2 − 3 = 1.5
        // Σ x dev² = 10; Σ y dev² = 2.25 + 0.25 + 0.25 + 4 + 2.25 = 9
        // ρ = 1.5 / √90 ≈ 0.158114 (SciPy's spearmanr gives 0.15811388300841897)
        XCTAssertEqual(spearmanCorrelation([1, 2, 3, 4, 5], [10, 20, 20, 30, 10]), 1.5 / 90.0.squareRoot(),
                       accuracy: 1e-15)
        // Ties on both sides; SciPy's spearmanr gives 0.19885368120992467.
        XCTAssertEqual(spearmanCorrelation([3, 1, 4, 1, 5, 9, 2, 6], [2, 7, 1, 8, 2, 8, 1, 8]),
                       0.19885368120992467, accuracy: 1e-12)
        // Monotonic but not linear: ρ = 1 where r < 1.
        XCTAssertEqual(spearmanCorrelation([1, 2, 3, 4], [1, 4, 9, 16]), 1, accuracy: 1e-15)
        XCTAssertLessThan(pearsonCorrelation([1, 2, 3, 4], [1, 4, 9, 16]), 1)
        // All tied: no variance in the ranks, so 0.
        XCTAssertEqual(spearmanCorrelation([1, 1, 1], [1, 2, 3]), 0)
    }
}
