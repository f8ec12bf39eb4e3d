import Foundation

/// Draws an `AttentionFigure` as a self-contained SVG:
///
/// - (a) the three attention masks as matrices, rows = query positions, columns = key
///   positions, each axis labelled with the tokens (subword pieces): the causal LM's and the
///   prefix LM's self-attention over `[source ; <sep> ; target]` (orange lines mark the
///   source | `<sep>` | target boundaries), and the encoder-decoder's cross-attention
///   (decoder positions × source positions);
/// - (b) the encoder-decoder's cross-attention probabilities beside the prefix LM's attention
///   from `<sep>` and the target positions over the source positions, last decoder layer,
///   averaged over heads, on one shared viridis scale from 0 to the larger maximum, with a
///   colour bar.
///
/// Every cell is a `<rect>` carrying `data-panel` (`causal-lm`, `prefix-lm`, `encdec-cross`,
/// `encdec-cross-attention`, `prefix-lm-attention`), `data-row`, `data-col` and either
/// `data-visible` (0/1, masks) or `data-value` (heatmaps), so tools and tests can read the
/// figure back.
public enum AttentionSVG {
    static let margin = 24.0
    static let visibleColor = "#2b5c9e"
    static let maskedColor = "#eceff3"
    static let boundaryColor = "#f28e2b"

    public static func render(_ figure: AttentionFigure) -> String {
        var canvas = SVGCanvas()
        var y = margin + 18
        canvas.text("Attention in line \(figure.line): \(shortened(figure.source, 110))", x: margin, y: y, size: 17, bold: true)
        y += 20
        canvas.text("Target positions hold \(figure.targetOrigin), teacher-forced. Axis labels are the subword pieces (▁ marks a word start).",
                    x: margin, y: y, size: 12, fill: "#444")
        y += 34

        // (a) Masks.
        canvas.text("(a) Attention masks: may the query (row) attend to the key (column)?", x: margin, y: y, size: 14, bold: true)
        y += 20
        var legendX = margin
        for (color, label) in [(visibleColor, "attends"), (maskedColor, "masked")] {
            canvas.rect(x: legendX, y: y - 11, width: 12, height: 12, fill: color, stroke: "#999")
            canvas.text(label, x: legendX + 17, y: y, size: 12)
            legendX += 85
        }
        canvas.line(x1: legendX, y1: y - 5, x2: legendX + 18, y2: y - 5, stroke: boundaryColor, width: 2)
        canvas.text("source | <sep> | target boundary", x: legendX + 23, y: y, size: 12)
        y += 14
        let sequenceLength = max(figure.causalMask.visible.count, 1)
        let maskCell = min(14, max(5, (560 / Double(sequenceLength)).rounded(.down)))
        let boundaries = [figure.decoderOnlySourceLength, figure.decoderOnlySourceLength + 1]
        var x = margin, sectionHeight = 0.0, width = 0.0
        let masks: [(String, String, MaskMatrix, [Int])] = [
            ("causal-lm", "Causal LM: [source ; <sep> ; target], lower-triangular", figure.causalMask, boundaries),
            ("prefix-lm", "Prefix LM: source + <sep> see each other, target causal", figure.prefixMask, boundaries),
            ("encdec-cross", "Encoder-decoder cross-attention: all source keys", figure.crossMask, []),
        ]
        for (panel, title, mask, lines) in masks {
            let size = drawMatrix(&canvas, x: x, y: y, title: title, rowLabels: mask.rowLabels, columnLabels: mask.columnLabels,
                                  cell: maskCell, boundaries: lines) { row, column in
                let visible = mask.visible[row][column]
                return (visible ? visibleColor : maskedColor, "data-panel=\"\(panel)\" data-row=\"\(row)\" data-col=\"\(column)\" data-visible=\"\(visible ? 1 : 0)\"")
            }
            x += size.width + 36
            sectionHeight = max(sectionHeight, size.height)
        }
        width = max(width, x)
        y += sectionHeight + 40

        // (b) Heatmaps.
        canvas.text("(b) Attention probabilities: \(figure.layerDescription)", x: margin, y: y, size: 14, bold: true)
        y += 18
        canvas.text("Rows: the query positions, labelled with their input token; row r predicts target token r (the last, </s>). "
            + "Prefix-LM rows sum to less than 1: the rest goes to <sep> and earlier target positions.", x: margin, y: y, size: 12, fill: "#444")
        y += 14
        let maps = [figure.crossAttention, figure.prefixAttention]
        let maximum = max(maps.flatMap { $0.values.flatMap { $0 } }.max() ?? 0, 1e-6)
        let longest = Double(maps.flatMap { [$0.rowLabels.count, $0.columnLabels.count] }.max() ?? 1)
        let heatCell = min(22, max(6, (400 / longest).rounded(.down)))
        x = margin
        sectionHeight = 0
        let heatmaps = [("encdec-cross-attention", "Encoder-decoder: cross-attention to the source", figure.crossAttention),
                        ("prefix-lm-attention", "Prefix LM: self-attention to the source positions", figure.prefixAttention)]
        for (panel, title, map) in heatmaps {
            let size = drawMatrix(&canvas, x: x, y: y, title: title, rowLabels: map.rowLabels, columnLabels: map.columnLabels,
                                  cell: heatCell, boundaries: []) { row, column in
                let value = map.values[row][column]
                return (ColorScale.color(value / maximum), "data-panel=\"\(panel)\" data-row=\"\(row)\" data-col=\"\(column)\" data-value=\"\(String(format: "%.4f", value))\"")
            }
            x += size.width + 40
            sectionHeight = max(sectionHeight, size.height)
        }
        let barHeight = max(120, min(sectionHeight - 40, 260))
        drawColorBar(&canvas, x: x, y: y + 40, height: barHeight, maximum: maximum)
        width = max(width, x + 110)
        y += max(sectionHeight, barHeight + 60) + margin
        return canvas.document(width: width + margin, height: y)
    }

    /// Draws one labelled matrix with its top-left corner at (`x`, `y`); returns its size.
    /// `cell(row, column)` gives the fill and the data attributes of each cell.
    @discardableResult
    static func drawMatrix(_ canvas: inout SVGCanvas, x: Double, y: Double, title: String, rowLabels: [String], columnLabels: [String],
                           cell: Double, boundaries: [Int], _ style: (Int, Int) -> (String, String)) -> (width: Double, height: Double) {
        let fontSize = min(11, cell * 0.85)
        let showLabels = fontSize >= 5
        let rowLabelWidth = showLabels ? (rowLabels.map(textWidth).max() ?? 0) * fontSize + 8 : 4
        let columnLabelHeight = showLabels ? (columnLabels.map(textWidth).max() ?? 0) * fontSize + 8 : 4
        let titleHeight = 30.0
        canvas.text(title, x: x, y: y + 16, size: 12.5, bold: true)
        canvas.text("query ↓  key →", x: x, y: y + titleHeight + columnLabelHeight - 2, size: 10, italic: true, fill: "#666")
        let gridX = x + max(rowLabelWidth, 90), gridY = y + titleHeight + columnLabelHeight
        for (row, label) in rowLabels.enumerated() {
            if showLabels {
                canvas.text(label, x: gridX - 4, y: gridY + (Double(row) + 0.5) * cell + fontSize * 0.35, size: fontSize, anchor: .end)
            }
            for column in columnLabels.indices {
                let (fill, attributes) = style(row, column)
                canvas.rect(x: gridX + Double(column) * cell, y: gridY + Double(row) * cell, width: cell, height: cell,
                            fill: fill, stroke: "#ffffff", attributes: attributes)
            }
        }
        if showLabels {
            for (column, label) in columnLabels.enumerated() {
                let labelX = gridX + (Double(column) + 0.5) * cell + fontSize * 0.35
                canvas.text(label, x: labelX, y: gridY - 4, size: fontSize, rotation: -90)
            }
        }
        let gridWidth = Double(columnLabels.count) * cell, gridHeight = Double(rowLabels.count) * cell
        for boundary in boundaries where boundary > 0 && boundary < max(rowLabels.count, columnLabels.count) {
            let offset = Double(boundary) * cell
            canvas.line(x1: gridX + offset, y1: gridY, x2: gridX + offset, y2: gridY + gridHeight, stroke: boundaryColor, width: 1.5)
            canvas.line(x1: gridX, y1: gridY + offset, x2: gridX + gridWidth, y2: gridY + offset, stroke: boundaryColor, width: 1.5)
        }
        let width = max(gridX - x + gridWidth, Double(title.count) * 12.5 * 0.62)
        return (width, gridY - y + gridHeight)
    }

    /// The colour bar: viridis from 0 (bottom) to `maximum` (top), with three ticks.
    static func drawColorBar(_ canvas: inout SVGCanvas, x: Double, y: Double, height: Double, maximum: Double) {
        canvas.verticalGradient(id: "viridis", stops: ColorScale.stops.map { ($0.0, ColorScale.color($0.0)) })
        canvas.text("probability", x: x, y: y - 10, size: 12, bold: true)
        canvas.rect(x: x, y: y, width: 18, height: height, fill: "url(#viridis)", stroke: "#666")
        for fraction in [0.0, 0.5, 1.0] {
            let tickY = y + height * (1 - fraction)
            canvas.line(x1: x + 18, y1: tickY, x2: x + 23, y2: tickY, stroke: "#666")
            canvas.text(String(format: "%.2f", maximum * fraction), x: x + 26, y: tickY + 4, size: 11)
        }
    }

    /// Approximate width of `text` in ems for DejaVu Sans.
    static func textWidth(_ text: String) -> Double {
        Double(TextTable.displayWidth(text)) * 0.62
    }

    static func shortened(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? "“\(text)”" : "“\(text.prefix(limit - 1))…”"
    }
}
