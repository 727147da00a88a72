@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// The unit's statistics over a period: a table, bar charts drawn as SVG (no script), and the same
/// figures as CSV for spreadsheets.
struct StatsPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(OneStopRoute.statistics(unit: nil, from: nil, to: nil).pattern, use: page)
        routes.get(OneStopRoute.statisticsCSV(unit: nil, from: nil, to: nil).pattern, use: csv)
    }

    static let columns: [(String, LocalizedText, KeyPath<DossierStatistics.Figures, Int>)] = [
        ("received", LocalizedText(vi: "Tiếp nhận", en: "Received"), \.received),
        ("receivedOnline", LocalizedText(vi: "Trực tuyến", en: "Online"), \.receivedOnline),
        ("receivedCounter", LocalizedText(vi: "Tại quầy", en: "At the counter"), \.receivedCounter),
        ("receivedInterLevel", LocalizedText(vi: "Liên thông", en: "Inter-level"), \.receivedInterLevel),
        ("finishedOnTime", LocalizedText(vi: "Đã giải quyết đúng hạn", en: "Finished on time"), \.finishedOnTime),
        ("finishedLate", LocalizedText(vi: "Đã giải quyết trễ hạn", en: "Finished late"), \.finishedLate),
        ("inProgressOnTime", LocalizedText(vi: "Đang giải quyết trong hạn", en: "In progress, on time"), \.inProgressOnTime),
        ("inProgressLate", LocalizedText(vi: "Đang giải quyết quá hạn", en: "In progress, late"), \.inProgressLate),
        ("supplementRequested", LocalizedText(vi: "Yêu cầu bổ sung", en: "Supplement requested"), \.supplementRequested),
        ("refused", LocalizedText(vi: "Từ chối", en: "Refused"), \.refused),
        ("withdrawn", LocalizedText(vi: "Rút hồ sơ", en: "Withdrawn"), \.withdrawn),
    ]

    func page(_ req: Request) async throws -> Response {
        let query = try await StatisticsAPI.Query.read(req)
        let report = try await query.report(req)
        let ctx = try await PageContext.make(for: req)
        let rows = report.rows.filter { $0.figures != DossierStatistics.Figures() }
        let header: Node<HTML.TableContext> = .thead(.tr(
            .th(.text(ctx.t(Strings.unit))), .forEach(Self.columns) { .th(.text(ctx.t($0.1))) },
            .th(.text(ctx.t(LocalizedText(vi: "Tỷ lệ trực tuyến", en: "Online rate"))))))
        func line(_ name: String, _ figures: DossierStatistics.Figures, id: String? = nil) -> Node<HTML.TableContext> {
            .tr(.attribute(named: "id", value: Esc.attr(id)), .th(.text(name)),
                .forEach(Self.columns) { .td(.attribute(named: "data-column", value: Esc.attr($0.0)), .text(String(figures[keyPath: $0.2]))) },
                .td(.text(String(format: "%.1f%%", figures.onlineRate))))
        }
        let table: Node<HTML.BodyContext> = .table(
            .id("statistics"), header,
            .tbody(.forEach(rows) { line($0.unit.name, $0.figures) }, line(ctx.t(Strings.total), report.total, id: "statistics-total")))
        let title = "\(ctx.t(OneStopText.statistics)): \(report.unit.name)"
        return Layout.page(ctx, title: title, crumbs: OneStopViews.crumbs(ctx, [], last: ctx.t(OneStopText.statistics)), content: .group(
            Self.periodForm(ctx, route: { OneStopRoute.statistics(unit: $0, from: $1, to: $2).path }, query: query),
            .p(.a(.href(Esc.attr(OneStopRoute.statisticsCSV(unit: report.unit.code, from: report.from.description, to: report.to.description).path)),
                  .text(ctx.t(LocalizedText(vi: "Tải về tệp CSV", en: "Download CSV"))))),
            Self.chart(ctx, report),
            table))
    }

    /// Unit and period pickers, as a GET form.
    static func periodForm(_ ctx: PageContext, route: (String?, String?, String?) -> String,
                           query: StatisticsAPI.Query) -> Node<HTML.BodyContext> {
        .form(.method(.get), .action(Esc.attr(route(nil, nil, nil))), .class("filters no-print"),
              Layout.field(ctx, name: "unit", label: Strings.unit, value: query.unit.code, required: false),
              Layout.field(ctx, name: "from", label: Strings.from, type: .date, value: query.from.description, required: false),
              Layout.field(ctx, name: "to", label: Strings.to, type: .date, value: query.to.description, required: false),
              .button(.type(.submit), .text(ctx.t(Strings.filter))))
    }

    /// Received, finished on time and late per sub-unit, as horizontal bars. Each bar carries its number
    /// as text, so the chart reads without colour.
    static func chart(_ ctx: PageContext, _ report: DossierStatistics.Report) -> Node<HTML.BodyContext> {
        let rows = report.rows.filter { $0.figures.received + $0.figures.finishedOnTime + $0.figures.finishedLate > 0 }.prefix(20)
        guard !rows.isEmpty else { return .empty }
        let series: [(LocalizedText, KeyPath<DossierStatistics.Figures, Int>, String)] = [
            (LocalizedText(vi: "Tiếp nhận", en: "Received"), \.received, "#0b4f9c"),
            (LocalizedText(vi: "Đúng hạn", en: "On time"), \.finishedOnTime, "#00703c"),
            (LocalizedText(vi: "Trễ hạn", en: "Late"), \.finishedLate, "#b00020"),
        ]
        let maximum = max(1, rows.map { row in series.map { row.figures[keyPath: $0.1] }.max() ?? 0 }.max() ?? 1)
        let barHeight = 14, gap = 4, labelWidth = 260, width = 720
        let rowHeight = series.count * (barHeight + gap) + 12
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"100%\" viewBox=\"0 0 \(width) \(rows.count * rowHeight + 24)\""
        svg += " aria-label=\"\(Esc.attr(ctx.t(OneStopText.statistics)))\">"
        for (index, entry) in series.enumerated() {
            svg += "<rect x=\"\(labelWidth + index * 150)\" y=\"2\" width=\"12\" height=\"12\" fill=\"\(entry.2)\"/>"
            svg += "<text x=\"\(labelWidth + index * 150 + 16)\" y=\"13\" font-size=\"12\">\(Esc.attr(ctx.t(entry.0)))</text>"
        }
        for (rowIndex, row) in rows.enumerated() {
            let top = 24 + rowIndex * rowHeight
            svg += "<text x=\"0\" y=\"\(top + 14)\" font-size=\"12\">\(Esc.attr(String(row.unit.shortName.prefix(40))))</text>"
            for (index, entry) in series.enumerated() {
                let value = row.figures[keyPath: entry.1]
                let y = top + index * (barHeight + gap)
                let length = Int(Double(width - labelWidth - 50) * Double(value) / Double(maximum))
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(max(length, 1))\" height=\"\(barHeight)\" fill=\"\(entry.2)\"/>"
                svg += "<text x=\"\(labelWidth + length + 4)\" y=\"\(y + 11)\" font-size=\"11\">\(value)</text>"
            }
        }
        svg += "</svg>"
        return .div(.class("chart"), .raw(svg))
    }

    func csv(_ req: Request) async throws -> Response {
        let query = try await StatisticsAPI.Query.read(req)
        let report = try await query.report(req)
        func field(_ text: String) -> String {
            text.contains(where: { ",\"\n".contains($0) }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [(["Mã đơn vị", "Đơn vị"] + Self.columns.map(\.1.vi) + ["Tỷ lệ trực tuyến (%)"]).map(field).joined(separator: ",")]
        for row in report.rows + [DossierStatistics.Row(unit: report.unit, figures: report.total)] {
            let values = Self.columns.map { String(row.figures[keyPath: $0.2]) } + [String(format: "%.1f", row.figures.onlineRate)]
            lines.append(([row.unit.code, row.unit.name].map(field) + values).joined(separator: ","))
        }
        // A byte-order mark, so spreadsheet programs read the Vietnamese as UTF-8.
        return FileDownload.response(.init(string: "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"),
                                     name: "thong-ke-\(report.unit.code)-\(report.from)-\(report.to).csv", contentType: "text/csv; charset=utf-8")
    }
}
