/// An sRGB colour, written as `#rrggbb` in SVG and DOT.
///
///     let blue = Colour(hex: 0x0072B2)
///     blue.hex                          // "#0072b2"
///     blue.mixed(with: .white, 0.8)     // a pale blue for a cluster's background
///
/// Introduced in Chapter 1 (Foundation).
public struct Colour: Equatable, Hashable, Sendable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF))
    }

    public static let white = Colour(hex: 0xFFFFFF)
    public static let black = Colour(hex: 0x000000)
    /// Axes, ticks and secondary text.
    public static let grey = Colour(hex: 0x555555)
    /// Grid lines.
    public static let lightGrey = Colour(hex: 0xE5E5E5)

    /// `#rrggbb`.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for component in [red, green, blue] {
            text.append(digits[Int(component >> 4)])
            text.append(digits[Int(component & 0xF)])
        }
        return text
    }

    /// This colour moved a `fraction` (0…1) of the way towards `other`, per sRGB component.
    public func mixed(with other: Colour, _ fraction: Double) -> Colour {
        let t = min(max(fraction.isFinite ? fraction : 0, 0), 1)
        func blend(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded())
        }
        return Colour(red: blend(red, other.red), green: blend(green, other.green), blue: blend(blue, other.blue))
    }
}

/// Colours that tell series (or graph groups) apart, also for colour-blind readers: the
/// Okabe–Ito set, ordered so that the first four (blue, orange, green, vermillion) are the
/// most distinct, with yellow last because it is faint on white.
///
///     let colour = Palette.categorical(2)     // green, for the third series
///
/// Introduced in Chapter 1 (Foundation).
public enum Palette {
    public static let categoricalColours: [Colour] = [
        Colour(hex: 0x0072B2),   // blue
        Colour(hex: 0xE69F00),   // orange
        Colour(hex: 0x009E73),   // bluish green
        Colour(hex: 0xD55E00),   // vermillion
        Colour(hex: 0xCC79A7),   // reddish purple
        Colour(hex: 0x56B4E9),   // sky blue
        Colour(hex: 0x000000),   // black
        Colour(hex: 0xE0C800),   // yellow, darkened a little to show on white
    ]

    /// The `index`-th categorical colour; indices past the end cycle (any integer is valid).
    public static func categorical(_ index: Int) -> Colour {
        let count = categoricalColours.count
        return categoricalColours[((index % count) + count) % count]
    }
}

/// How numbers map to colours in a heatmap.
///
///     ColourScale.sequential.colour(at: 0.5)   // the middle of the viridis-like ramp
///     ColourScale.diverging.colour(at: 0.5)    // white: zero in a signed matrix
///
/// Use `.sequential` for values of one sign (probabilities: dark purple for 0, yellow for the
/// largest) and `.diverging` for signed values (blue negative, white zero, red positive; the
/// heatmap centres its range on 0).
/// Introduced in Chapter 1 (Foundation).
public enum ColourScale: String, Equatable, Sendable {
    case sequential
    case diverging

    /// The colour of missing values (NaN), outside both ramps.
    public static let missing = Colour(hex: 0xBDBDBD)

    /// The ramp's anchor colours from low to high, evenly spaced; colours between them are
    /// interpolated linearly in sRGB (as an SVG gradient through the same stops would be).
    public var anchors: [Colour] {
        switch self {
        case .sequential:
            // Nine evenly spaced samples of viridis: perceptually uniform, readable in grey.
            return [0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21908C, 0x27AD81, 0x5DC863, 0xAADC32, 0xFDE725]
                .map { Colour(hex: $0) }
        case .diverging:
            return [0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7, 0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F]
                .map { Colour(hex: $0) }
        }
    }

    /// The colour at position `t` of the ramp, 0 (low) … 1 (high); `t` is clamped, NaN gives
    /// `ColourScale.missing`.
    public func colour(at t: Double) -> Colour {
        guard !t.isNaN else { return ColourScale.missing }
        let ramp = anchors
        let position = min(max(t, 0), 1) * Double(ramp.count - 1)
        let lower = min(Int(position), ramp.count - 2)
        return ramp[lower].mixed(with: ramp[lower + 1], position - Double(lower))
    }
}
