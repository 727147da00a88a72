import EGovCore
import EGovPlatform
@testable import EGovServer
import Foundation
import Testing
import Vapor
import VaporTesting

/// Helpers for one-stop-shop tests: citizens, submissions, actions, Vietnam time.
extension TestInstallation {
    static let citizenID = "001190012345"
    static let citizenPassword = "MatKhau2024"

    /// Registers a citizen (once per installation) and returns the name they sign in with.
    /// The one-stop helpers take sign-in names and get a fresh token per call, since tests move the clock
    /// by hours and days and access tokens live 15 minutes.
    func citizen(idNumber: String = TestInstallation.citizenID, email: String = "thuhuong@example.com") async throws -> String {
        let body = #"{"fullName":"Nguyễn Thị Thu Hương","idNumber":"\#(idNumber)","phone":"0912345678","email":"\#(email)","password":"\#(Self.citizenPassword)"}"#
        let registered = try await send(.POST, "/api/v1/citizens", json: body)
        guard registered.status == .created || registered.status == .conflict else {
            throw TestSetupError("register citizen: \(registered.status) \(registered.body.string)")
        }
        return idNumber
    }

    /// A fresh access token for an officer's username or a citizen's identification number.
    func login(_ user: String) async throws -> String {
        try await token(user, password: user.allSatisfy(\.isNumber) ? Self.citizenPassword : Self.password)
    }

    func get(_ path: String, as user: String) async throws -> TestingHTTPResponse {
        try await send(.GET, path, token: try await login(user))
    }

    /// Sets the clock to a day and hour in Vietnam time.
    func setVietnamTime(_ year: Int, _ month: Int, _ day: Int, hour: Int, minute: Int = 0) throws {
        let date = try #require(CivilDate(year: year, month: month, day: day))
        clock.date = WorkingDayCalendar().startOfDay(date).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
    }

    static func vietnamTime(_ year: Int, _ month: Int, _ day: Int, hour: Int, minute: Int = 0) -> Date? {
        CivilDate(year: year, month: month, day: day).map {
            WorkingDayCalendar().startOfDay($0).addingTimeInterval(TimeInterval(hour * 3600 + minute * 60))
        }
    }

    /// Submits a dossier; `attachments` are (componentId, fileName, bytes).
    @discardableResult
    func submit(_ user: String, procedure: String, unit: String, receivingUnit: String? = nil, form: String = #"{"ghiChu":"thử nghiệm"}"#,
                attachments: [(String, String, Data)], applicant: String? = nil) async throws -> TestingHTTPResponse {
        let files = attachments.map { component, name, data in
            #"{"componentId":"\#(component)","fileName":"\#(name)","contentType":"application/pdf","contentBase64":"\#(data.base64EncodedString())"}"#
        }.joined(separator: ",")
        var fields: [String] = [#""procedureCode":"\#(procedure)""#, #""unitCode":"\#(unit)""#, #""form":\#(form)"#, #""attachments":[\#(files)]"#]
        if let receivingUnit { fields.append(#""receivingUnitCode":"\#(receivingUnit)""#) }
        if let applicant { fields.append(#""applicant":\#(applicant)"#) }
        return try await send(.POST, "/api/v1/dossiers", token: try await login(user), json: "{" + fields.joined(separator: ",") + "}")
    }

    /// Takes an action and expects `status`; returns the response.
    @discardableResult
    func act(_ user: String, _ code: String, _ action: String, note: String? = nil, assignee: String? = nil,
             attachments: [(String?, String, Data)] = [], pins: (officer: String?, seal: String?)? = nil,
             expect status: HTTPResponseStatus = .ok,
             sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        var fields: [String] = []
        if let note { fields.append(#""note":"\#(note)""#) }
        if let assignee { fields.append(#""assignee":"\#(assignee)""#) }
        if let officer = pins?.officer { fields.append(#""signingPin":"\#(officer)""#) }
        if let seal = pins?.seal { fields.append(#""sealPin":"\#(seal)""#) }
        if !attachments.isEmpty {
            let files = attachments.map { component, name, data -> String in
                let componentField = component.map { #""componentId":"\#($0)","# } ?? ""
                return #"{\#(componentField)"fileName":"\#(name)","contentBase64":"\#(data.base64EncodedString())"}"#
            }.joined(separator: ",")
            fields.append(#""attachments":[\#(files)]"#)
        }
        let response = try await send(.POST, "/api/v1/dossiers/\(code)/actions/\(action)", token: try await login(user),
                                      json: "{" + fields.joined(separator: ",") + "}")
        #expect(response.status == status, "\(action) on \(code): \(response.status) \(response.body.string)", sourceLocation: sourceLocation)
        return response
    }

    /// The demo's `approve`: the leader signs a real PDF result with their PIN and the competent unit's seal PIN.
    @discardableResult
    func approve(_ leader: String, _ code: String, result name: String = "ket-qua.pdf", text: String = "Ket qua giai quyet",
                 sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws -> TestingHTTPResponse {
        let unit = try await dossier(leader, code).unitCode
        return try await act(leader, code, "approve", attachments: [(nil, name, Data(TestPDF.make(pages: [text])))],
                             pins: (try signingPIN(leader), try signingPIN("seal.\(unit)")), sourceLocation: sourceLocation)
    }

    func dossier(_ user: String, _ code: String) async throws -> DossierJSON {
        let response = try await get("/api/v1/dossiers/\(code)", as: user)
        guard response.status == .ok else { throw TestSetupError("GET dossier \(code): \(response.status) \(response.body.string)") }
        return try response.content.decode(DossierJSON.self)
    }
}

/// A small PDF and a PNG, with the right first bytes.
enum SampleFiles {
    static let pdf = pdf("sample")
    /// A PDF whose bytes differ with `text`, for papers that must not share content.
    static func pdf(_ text: String) -> Data { Data("%PDF-1.4\n% \(text)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8) }
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0])
    static let notAPDF = Data("MZ this is not a pdf".utf8)
}

/// The parts of a dossier the tests read.
struct DossierJSON: Decodable {
    struct Step: Decodable { let id: String; let name: String; let dueAt: Date?; let deadline: String; let assignee: String? }
    struct Fee: Decodable { let amount: Int; let paid: Bool }
    struct File: Decodable {
        let id: String; let componentId: String?; let kind: String; let name: String; let url: String; let verificationCode: String?
    }
    struct Event: Decodable { let seq: Int; let action: String; let status: String; let actor: String; let note: String?; let stepOnTime: Bool? }
    struct Applicant: Decodable { let fullName: String; let idNumber: String?; let phone: String?; let email: String? }

    let code: String
    let status: String
    let receivedAt: Date?
    let dueAt: Date?
    let finishedAt: Date?
    let deadline: String
    let channel: String
    let interLevel: Bool
    let unitCode: String
    let receivingUnitCode: String
    let applicant: Applicant
    let currentStep: Step
    let fee: Fee
    let files: [File]
    let history: [Event]
}

struct PageJSON<Item: Decodable>: Decodable {
    let items: [Item]
    let total: Int
}

struct SummaryJSON: Decodable {
    let code: String
    let status: String
    let deadline: String
    let dueAt: Date?
}
