@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// `/van-ban/so-hoa`: a clerk uploads scans of paper documents, several at once, for a unit they are the clerk of;
/// each goes through the same `ScanIntake.receive` as `POST /api/v1/documents/scans`.
struct ScanPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(DocumentRoute.scans.pattern, use: show)
        routes.on(.POST, DocumentRoute.scans.pattern, body: .stream, use: upload).streamsForm()
    }

    /// The units the visitor is the clerk of.
    static func units(_ principal: Principal, on db: any Database) async throws -> [UnitModel] {
        let ids = principal.grants.filter { $0.position == .clerk }.map(\.unitID)
        guard !ids.isEmpty else { throw EGovError.forbidden }
        return try await UnitModel.query(on: db).filter(\.$id ~~ ids).sort(\.$sortOrder).all()
    }

    func show(_ req: Request) async throws -> Response {
        try await page(req, units: try await Self.units(try req.principal(), on: req.db), errors: [])
    }

    func page(_ req: Request, units: [UnitModel], errors: [ValidationError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let title = ctx.t(DocumentText.digitise)
        return Layout.page(ctx, title: title, crumbs: Widgets.crumbs(ctx, [
            .init(title: ctx.t(DocumentText.incoming), href: DocumentRoute.list(box: "incoming", q: nil, page: 1).path),
        ], last: title), status: status, content: .group(
            Layout.errorSummary(ctx, errors),
            .p(.text(ctx.t(DocumentText.digitiseHint))),
            .form(.method(.post), .id("scans"), .action(Esc.attr(DocumentRoute.scans.path)), .class("stack"),
                  .attribute(named: "enctype", value: "multipart/form-data"),
                  Layout.csrfField(ctx),
                  Widgets.select(ctx, name: "unit", label: DocumentText.receivingUnit, options: units.map { ($0.code, $0.name) },
                                 selected: units.first?.code, required: true),
                  .div(.class("field"),
                       .label(.for("scan"), .text(ctx.t(DocumentText.scans))),
                       .input(.type(.file), .name("scan"), .id("scan"), .required(true), .attribute(named: "multiple", value: "multiple"),
                              .attribute(named: "accept", value: ".pdf,.png,.jpg,.jpeg,.tif,.tiff"))),
                  .button(.type(.submit), .id("upload-scans"), .text(ctx.t(DocumentText.upload))))))
    }

    func upload(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        let units = try await Self.units(principal, on: req.db)
        let limit = req.egov.configuration.maxUploadBytes
        let form = try await req.receiveForm(maxTotalBytes: DocumentFiles.maxFiles * limit + 1_048_576)
        defer { form.discard() }
        guard let unit = units.first(where: { $0.code == form.fields["unit"] }) ?? (form.fields["unit"] == nil ? units.first : nil) else {
            throw EGovError.forbidden
        }
        let files = form.files.filter { $0.field == "scan" && $0.size > 0 }
        var problems: [ValidationError] = []
        if files.isEmpty { problems.append(ValidationError(field: "scan", vi: "Chưa chọn bản quét nào.", en: "No scan was chosen.")) }
        if files.count > DocumentFiles.maxFiles {
            problems.append(ValidationError(field: "scan", vi: "Tối đa \(DocumentFiles.maxFiles) bản quét một lần.", en: "At most \(DocumentFiles.maxFiles) scans at once."))
        }
        // Each file is checked before any is taken: a wrong one among them takes none.
        var checked: [(SpooledFile, String)] = []
        for file in files {
            guard let ext = ScanIntake.ext(contentType: file.contentType) ?? ScanIntake.ext(fileName: file.fileName),
                  file.size <= limit, FileTypes.matches(ext: ext, data: file.head) else {
                problems.append(ValidationError(field: "scan", vi: "“\(file.fileName.prefix(100))” không phải bản quét PDF, PNG, JPEG hoặc TIFF đến \(limit / 1_048_576) MB.",
                                                en: "“\(file.fileName.prefix(100))” is not a PDF, PNG, JPEG or TIFF scan of up to \(limit / 1_048_576) MB."))
                continue
            }
            checked.append((file, ext))
        }
        guard problems.isEmpty else { return try await page(req, units: units, errors: problems, status: .badRequest) }
        for (file, ext) in checked {
            _ = try await ScanIntake.receive(try Data(contentsOf: file.url), ext: ext, fileName: file.fileName, at: unit,
                                             by: ActingParty(principal: principal, clientAddress: req.clientAddress), maxBytes: limit,
                                             services: req.egov, on: req.db)
        }
        return req.redirect(to: DocumentRoute.list(box: "incoming", q: nil, page: 1).path + "&notice=\(checked.count)")
    }
}
