@preconcurrency import Plot
import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Vapor

/// `/van-ban/soan-thao`: a specialist drafts an outgoing document (type, subject, recipients, urgency, its PDF and
/// annexes). The form goes through the same `DocumentDrafting.draft` as `POST /api/v1/documents`.
struct DraftPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(DocumentRoute.draft.pattern, use: show)
        routes.on(.POST, DocumentRoute.draft.pattern, body: .stream, use: create).streamsForm()
    }

    struct Values {
        var type = "", subject = "", body = "", urgency = DocumentUrgency.normal.rawValue, others = ""
        var recipients: Set<String> = []
    }

    /// The empty form, or filled from the template chosen (`?template=`): its type, subject and body.
    func show(_ req: Request) async throws -> Response {
        try Self.mayDraft(try req.principal())
        var values = Values()
        if let template = try await DocumentTemplateModel.named(req.query[String.self, at: "template"], on: req.db) {
            (values.type, values.subject, values.body) = (template.typeID, template.subject, template.body)
        }
        return try await page(req, values: values, errors: [])
    }

    static func mayDraft(_ principal: Principal) throws {
        guard !CasePolicy.servedScopes(principal, for: DocumentsModule.draft).isEmpty else { throw EGovError.forbidden }
    }

    func page(_ req: Request, values: Values, errors: [ValidationError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let ctx = try await PageContext.make(for: req)
        let types = try await DocumentTypeModel.query(on: req.db).sort(\.$sortOrder).all()
        // The bodies of the province that receive documents in their own name, as checkboxes.
        let units = try await DocumentDelivery.receivingBodies(on: req.db)
        let templates = try await DocumentTemplateModel.query(on: req.db).sort(\.$sortOrder).all()
        let title = ctx.t(DocumentText.newDraft)
        func error(_ field: String) -> Node<HTML.FormContext> {
            .unwrap(errors.first { $0.field == field || $0.field.hasPrefix(field + "[") }) { .p(.class("error"), .id("\(field)-error"), .text(ctx.t($0.message))) }
        }
        return Layout.page(ctx, title: title, crumbs: Widgets.crumbs(ctx, [
            .init(title: ctx.t(DocumentText.documents), href: DocumentRoute.list(box: nil, q: nil, page: 1).path),
        ], last: title), status: status, content: .group(
            Layout.errorSummary(ctx, errors),
            // A template fills the form: a plain GET, no script.
            .if(!templates.isEmpty, .form(.method(.get), .id("template-form"), .action(Esc.attr(DocumentRoute.draft.path)), .class("stack"),
                Widgets.select(ctx, name: "template", label: DocumentText.template,
                               options: [("", ctx.t(DocumentText.noTemplate))] + templates.map { ($0.id ?? "", $0.name) },
                               selected: req.query[String.self, at: "template"]),
                .button(.type(.submit), .id("use-template"), .text(ctx.t(DocumentText.useTemplate))))),
            .form(.method(.post), .id("draft"), .action(Esc.attr(DocumentRoute.draft.path)), .class("stack"),
                  .attribute(named: "enctype", value: "multipart/form-data"),
                  Layout.csrfField(ctx),
                  error("type"),
                  Widgets.select(ctx, name: "type", label: DocumentText.type,
                                 options: [("", ctx.t(DocumentText.chooseType))] + types.map { ($0.id ?? "", $0.name) },
                                 selected: values.type, required: true),
                  error("subject"),
                  Widgets.textarea(ctx, name: "subject", label: DocumentText.subject, value: values.subject, required: true),
                  Widgets.textarea(ctx, name: "body", label: DocumentText.body, value: values.body),
                  Widgets.select(ctx, name: "urgency", label: DocumentText.urgency,
                                 options: DocumentUrgency.allCases.map { ($0.rawValue, ctx.t($0.label)) }, selected: values.urgency),
                  .fieldset(.id("recipientCodes"),
                            .element(named: "legend", text: ctx.t(DocumentText.recipients)),
                            .p(.class("hint"), .text(ctx.t(DocumentText.recipientsHint))),
                            error("recipientCodes"),
                            .forEach(units) { unit in
                                .div(.class("check"),
                                     .input(.type(.checkbox), .name("recipients[]"), .id(Esc.attr("recipient-\(unit.code)")), .value(Esc.attr(unit.code)),
                                            .attribute(named: "checked", value: Esc.attr(values.recipients.contains(unit.code) ? "checked" : nil))),
                                     .label(.for(Esc.attr("recipient-\(unit.code)")), .text(unit.name)))
                            }),
                  .div(.class("field"),
                       .label(.for("others"), .text(ctx.t(DocumentText.otherRecipients))),
                       .input(.type(.text), .name("others"), .id("others"), .value(Esc.attr(values.others)),
                              .attribute(named: "maxlength", value: "2000"))),
                  error("attachments"),
                  .div(.class("field"),
                       .label(.for("files"), .text(ctx.t(DocumentText.documentFile))),
                       .input(.type(.file), .name("files"), .id("files"), .attribute(named: "multiple", value: "multiple"),
                              .attribute(named: "accept", value: Esc.attr(DocumentFiles.acceptedTypes.map { "." + $0 }.joined(separator: ","))))),
                  .button(.type(.submit), .id("create-draft"), .text(ctx.t(DocumentText.create))))))
    }

    func create(_ req: Request) async throws -> Response {
        let principal = try req.principal()
        try Self.mayDraft(principal)
        let limit = req.egov.configuration.maxUploadBytes
        let upload = try await req.receiveForm(maxTotalBytes: DocumentFiles.maxFiles * limit + 1_048_576)
        defer { upload.discard() }
        let form = upload.fields
        var values = Values(type: form["type"] ?? "", subject: form["subject"] ?? "", body: form["body"] ?? "",
                            urgency: form["urgency"] ?? DocumentUrgency.normal.rawValue, others: form["others"] ?? "")
        values.recipients = Set(upload.values("recipients[]"))
        let others = values.others.split(whereSeparator: { $0 == "," || $0 == ";" || $0.isWhitespace }).map(String.init)
        var recipients = upload.values("recipients[]")
        for code in others where !recipients.contains(code) { recipients.append(code) }
        // The files as the API takes them: each checked by the one check of a document's files.
        var attachments: [DraftInput.AttachmentInput] = []
        let files = upload.files.filter { $0.field == "files" && $0.size > 0 }
        guard files.count <= DocumentFiles.maxFiles else {
            let error = ValidationError(field: "attachments", vi: "Tối đa \(DocumentFiles.maxFiles) tệp.", en: "At most \(DocumentFiles.maxFiles) files.")
            return try await page(req, values: values, errors: [error], status: .badRequest)
        }
        for file in files {
            guard file.size <= limit else { throw EGovError.payloadTooLarge(maxBytes: limit) }
            attachments.append(.init(fileName: file.fileName, contentType: file.contentType,
                                     contentBase64: try Data(contentsOf: file.url).base64EncodedString()))
        }
        let input = DraftInput(type: values.type, subject: values.subject, body: values.body, recipientCodes: recipients,
                               urgency: values.urgency, confidentiality: nil, unit: nil, attachments: attachments)
        do {
            let document = try await DocumentDrafting(services: req.egov, db: req.db).draft(input, by: principal, clientAddress: req.clientAddress)
            return req.redirect(to: DocumentRoute.document(try document.requireID()).path + "?notice=drafted")
        } catch let error as EGovError where error.status == .badRequest {
            return try await page(req, values: values, errors: error.fieldErrors, status: .badRequest)
        }
    }
}
