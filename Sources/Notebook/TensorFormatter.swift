import Foundation
import Tensors

/// Renders a tensor legibly: a shape header, then aligned columns of numbers.
///
///     let x = Tensor(shape: [2, 3], scalars: [1.5, -2, 0.25, 3, 4, -5])
///     print(TensorFormatter().format(x, name: "x"))
///     // x: Tensor [2, 3]
///     //    1.5000  -2.0000   0.2500
///     //    3.0000   4.0000  -5.0000
///
/// Every shown number shares one format so columns line up: four decimals, or scientific
/// notation with four decimals (`1.2346e+06`) when the largest magnitude is ≥ 10⁶ or
/// below 0.01 (gradients, tiny probabilities), or plain integers when every value is a whole
/// number (token ids, counts). Long dimensions are elided: `⋯` for columns, `⋮` for rows
/// and for whole matrices. A tensor of rank ≥ 3 prints as a sequence of matrices over its
/// last two dimensions, each headed by its index, like `[0, :, :]`.
///
/// Introduced in Chapter 1.
public struct TensorFormatter: Sendable {
    /// Rows of a matrix shown before eliding (above this, `edgeRows` from each end).
    public var maxRows: Int
    /// Columns shown before eliding (above this, `edgeColumns` from each end).
    public var maxColumns: Int
    /// Matrices of a rank ≥ 3 tensor shown before eliding (above this, `edgeMatrices` each end).
    public var maxMatrices: Int
    public var edgeRows: Int
    public var edgeColumns: Int
    public var edgeMatrices: Int
    /// Decimals after the point (the book prints four).
    public var decimals: Int

    /// - Parameters:
    ///   - maxRows: rows shown in full up to this many (default 12; else 5 + ⋮ + 5).
    ///   - maxColumns: columns shown in full up to this many (default 10; else 4 + ⋯ + 4).
    ///   - maxMatrices: matrices shown in full up to this many (default 4; else 2 + ⋮ + 2).
    ///   - decimals: digits after the decimal point (default 4).
    public init(maxRows: Int = 12, maxColumns: Int = 10, maxMatrices: Int = 4, decimals: Int = 4) {
        self.maxRows = max(maxRows, 2)
        self.maxColumns = max(maxColumns, 2)
        self.maxMatrices = max(maxMatrices, 2)
        edgeRows = max(1, min(5, (self.maxRows - 1) / 2))
        edgeColumns = max(1, min(4, (self.maxColumns - 1) / 2))
        edgeMatrices = max(1, min(2, self.maxMatrices / 2))
        self.decimals = decimals
    }

    /// The rendering of `tensor`, headed by `name: ` when a name is given; no trailing newline.
    ///
    /// - Parameters:
    ///   - tensor: any rank; a scalar prints on one line.
    ///   - name: the variable's name in the chapter, shown before the shape.
    public func format(_ tensor: Tensor, name: String? = nil) -> String {
        let shape = tensor.shape
        let header = (name.map { "\($0): " } ?? "") + "Tensor " + shapeText(shape)
        let scalars = tensor.scalars
        if shape.isEmpty {
            let style = NumberStyle(for: scalars, decimals: decimals)
            return header + "  " + style.text(scalars[0])
        }
        if scalars.isEmpty { return header + "  (empty)" }

        // View the tensor as [matrices, rows, columns]; a vector is one row.
        let columns = shape[shape.count - 1]
        let rows = shape.count >= 2 ? shape[shape.count - 2] : 1
        let matrices = scalars.count / (rows * columns)
        let shownMatrices = Self.shown(matrices, limit: maxMatrices, edge: edgeMatrices)
        let shownRows = Self.shown(rows, limit: maxRows, edge: edgeRows)
        let shownColumns = Self.shown(columns, limit: maxColumns, edge: edgeColumns)

        // One number style and one width for every shown value, so all blocks align.
        var shownValues: [Float] = []
        for m in shownMatrices.compactMap({ $0 }) {
            for r in shownRows.compactMap({ $0 }) {
                for c in shownColumns.compactMap({ $0 }) {
                    shownValues.append(scalars[(m * rows + r) * columns + c])
                }
            }
        }
        let style = NumberStyle(for: shownValues, decimals: decimals)
        let width = shownValues.map { style.text($0).count }.max() ?? 1

        var lines = [header]
        let leading = Array(shape.dropLast(shape.count >= 2 ? 2 : 1))
        for matrix in shownMatrices {
            guard let m = matrix else { lines.append("  ⋮"); continue }
            if shape.count >= 3 {
                let index = Self.multiIndex(m, in: leading).map(String.init) + [":", ":"]
                lines.append("[" + index.joined(separator: ", ") + "]")
            }
            for row in shownRows {
                guard let r = row else {
                    lines.append("  " + shownColumns.map { _ in pad("⋮", to: width) }.joined(separator: "  "))
                    continue
                }
                let cells = shownColumns.map { column -> String in
                    guard let c = column else { return pad("⋯", to: width) }
                    return pad(style.text(scalars[(m * rows + r) * columns + c]), to: width)
                }
                lines.append("  " + cells.joined(separator: "  "))
            }
        }
        return lines.map { $0.trailingSpacesRemoved }.joined(separator: "\n")
    }

    // MARK: Helpers

    /// `[2, 3, 4]`.
    func shapeText(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    func pad(_ text: String, to width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    /// The indices shown along a dimension of `count`, with `nil` where the elision mark goes.
    static func shown(_ count: Int, limit: Int, edge: Int) -> [Int?] {
        if count <= limit { return Array(0..<count) }
        return Array(0..<edge) + [nil] + Array((count - edge)..<count)
    }

    /// The row-major multi-index of flat position `flat` in `shape`.
    static func multiIndex(_ flat: Int, in shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            index[d] = rest % shape[d]
            rest /= shape[d]
        }
        return index
    }
}

/// How every number of one tensor is written, chosen from all the numbers shown.
struct NumberStyle {
    enum Kind { case integer, fixed, scientific }
    let kind: Kind
    let decimals: Int

    init(for values: [Float], decimals: Int) {
        self.decimals = decimals
        let finite = values.filter { $0.isFinite }
        let magnitudes = finite.map { abs($0) }.filter { $0 != 0 }
        let largest = magnitudes.max() ?? 0
        if finite.allSatisfy({ $0 == $0.rounded() }) && largest < 1e9 {
            kind = .integer
        } else if largest >= 1e6 || (largest > 0 && largest < 1e-2) {
            // Fixed notation would print 10+ digits for huge values, or keep fewer than two
            // significant digits of the largest tiny one: switch the whole tensor to
            // scientific notation. A tiny value beside ordinary ones reads 0.0000, honestly.
            kind = .scientific
        } else {
            kind = .fixed
        }
    }

    func text(_ x: Float) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        switch kind {
        case .integer: return String(Int(x))
        case .fixed:
            let s = String(format: "%.\(decimals)f", Double(x))
            // -0.0000 reads as a sign error; print the rounded zero without a sign.
            return s.hasPrefix("-") && s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(s.dropFirst()) : s
        case .scientific: return String(format: "%.\(decimals)e", Double(x))
        }
    }
}

extension String {
    var trailingSpacesRemoved: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
