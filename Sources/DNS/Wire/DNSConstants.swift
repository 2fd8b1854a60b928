/// Record types Switchboard reads or writes (RFC 1035, 3596, 6891, 8945).
public enum DNSType {
  public static let a: UInt16 = 1
  public static let ns: UInt16 = 2
  public static let cname: UInt16 = 5
  public static let soa: UInt16 = 6
  public static let txt: UInt16 = 16
  public static let aaaa: UInt16 = 28
  public static let opt: UInt16 = 41
  public static let tsig: UInt16 = 250
  public static let axfr: UInt16 = 252
  public static let any: UInt16 = 255

  /// The type's mnemonic (`A`, `AAAA`, ...), or `TYPEn`.
  public static func name(_ type: UInt16) -> String {
    switch type {
    case a: "A"
    case ns: "NS"
    case cname: "CNAME"
    case soa: "SOA"
    case txt: "TXT"
    case aaaa: "AAAA"
    case opt: "OPT"
    case tsig: "TSIG"
    case axfr: "AXFR"
    case any: "ANY"
    default: "TYPE\(type)"
    }
  }

  /// The type of a mnemonic, for the record types a service can have.
  public static func code(_ name: String) -> UInt16? {
    switch name.uppercased() {
    case "A": a
    case "AAAA": aaaa
    case "CNAME": cname
    case "NS": ns
    case "SOA": soa
    case "TXT": txt
    default: nil
    }
  }
}

/// Record classes.
public enum DNSClass {
  public static let `in`: UInt16 = 1
  /// RFC 2136: "delete this record" / "RRset does not exist".
  public static let none: UInt16 = 254
  /// RFC 2136: "delete the RRset" / "RRset exists"; TSIG's class.
  public static let any: UInt16 = 255
}

/// Header opcodes.
public enum DNSOpcode {
  public static let query: UInt8 = 0
  public static let update: UInt8 = 5
}

/// Response codes (the low 4 bits in the header; EDNS and TSIG extend them).
public enum DNSRCode {
  public static let noError: UInt16 = 0
  public static let formErr: UInt16 = 1
  public static let servFail: UInt16 = 2
  public static let nxDomain: UInt16 = 3
  public static let notImp: UInt16 = 4
  public static let refused: UInt16 = 5
  public static let yxDomain: UInt16 = 6
  public static let yxRRSet: UInt16 = 7
  public static let nxRRSet: UInt16 = 8
  public static let notAuth: UInt16 = 9
  public static let notZone: UInt16 = 10
  public static let badVers: UInt16 = 16
  /// TSIG errors (in the TSIG record's error field).
  public static let badSig: UInt16 = 16
  public static let badKey: UInt16 = 17
  public static let badTime: UInt16 = 18

  /// The code's mnemonic (`NOERROR`, `NXDOMAIN`, ...).
  public static func name(_ code: UInt16) -> String {
    switch code {
    case noError: "NOERROR"
    case formErr: "FORMERR"
    case servFail: "SERVFAIL"
    case nxDomain: "NXDOMAIN"
    case notImp: "NOTIMP"
    case refused: "REFUSED"
    case yxDomain: "YXDOMAIN"
    case yxRRSet: "YXRRSET"
    case nxRRSet: "NXRRSET"
    case notAuth: "NOTAUTH"
    case notZone: "NOTZONE"
    case 16: "BADVERS/BADSIG"
    default: "RCODE\(code)"
    }
  }
}
