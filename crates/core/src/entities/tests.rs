//! Table-driven tests of the extractor: valid, defanged and invalid indicators, each case the
//! complete set a text yields.

use super::*;

fn found(text: &str, url: Option<&str>) -> Vec<(String, String)> {
    Extractor::builtin()
        .extract(text, &Context { url })
        .into_iter()
        .map(|e| (e.kind.name().to_string(), e.value))
        .collect()
}

fn check(cases: &[(&str, &[(&str, &str)])]) {
    let mut failures = Vec::new();
    for (text, expected) in cases {
        let mut want: Vec<(String, String)> =
            expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        want.sort_by_key(|(k, v)| (Kind::parse(k), v.clone()));
        let got = found(text, None);
        if got != want {
            failures.push(format!("{text:?}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} case(s) failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn cve_ids_in_every_spelling() {
    check(&[
        ("patched CVE-2024-3400 today", &[("cve", "CVE-2024-3400")]),
        ("cve-2023-4966 and Cve-2021-44228", &[("cve", "CVE-2021-44228"), ("cve", "CVE-2023-4966")]),
        ("漏洞编号CVE-2024-21413的利用", &[("cve", "CVE-2024-21413")]),
        ("全角ＣＶＥ－２０２４－２１４１３", &[("cve", "CVE-2024-21413")]),
        ("en dash CVE–2025–0282 em CVE—2025—0283", &[("cve", "CVE-2025-0282"), ("cve", "CVE-2025-0283")]),
        (
            "hyphens CVE\u{2010}2024\u{2011}1111 minus CVE\u{2212}2024\u{2212}2222",
            &[("cve", "CVE-2024-1111"), ("cve", "CVE-2024-2222")],
        ),
        ("underscored CVE_2024_1234.", &[("cve", "CVE-2024-1234")]),
        ("seven digits CVE-2024-1234567", &[("cve", "CVE-2024-1234567")]),
        ("too short CVE-2024-123, too long CVE-2024-12345678", &[]),
        ("glued XCVE-2024-1234 and CVE-2024-1234x", &[]),
        ("no year CVE-1890-1234", &[]),
        ("twice CVE-2024-3400, CVE-2024-3400", &[("cve", "CVE-2024-3400")]),
    ]);
}

#[test]
fn attack_techniques() {
    check(&[
        ("uses T1059 and T1566.001.", &[("attack", "T1059"), ("attack", "T1566.001")]),
        ("技术T1190（利用公开应用）", &[("attack", "T1190")]),
        ("out of range T1000 T1700 T2059", &[]),
        ("glued AT1059 T10590 T1059x", &[]),
        ("sub-technique cut T1059.01 keeps the base", &[("attack", "T1059")]),
    ]);
}

#[test]
fn ipv4_addresses_and_versions() {
    check(&[
        ("C2 at 45.155.204.234 on 443", &[("ipv4", "45.155.204.234")]),
        ("地址为45.155.204.234，端口8080", &[("ipv4", "45.155.204.234")]),
        (
            "defanged 185[.]220[.]101[.]1 and 91.92.240(.)13",
            &[("ipv4", "185.220.101.1"), ("ipv4", "91.92.240.13")],
        ),
        (
            "with port 103.45.67.89:8443 and cidr 77.91.124.0/24.",
            &[("ipv4", "103.45.67.89"), ("ipv4", "77.91.124.0")],
        ),
        ("versions 10.0.19041.1 3.2.1.0 v1.2.3.4 V12.22.33.44", &[]),
        ("版本 2.0.1.5 and version 4.19.0.12 and 版本号：5.10.123.45", &[]),
        ("five parts 45.155.204.234.5 and leading zero 45.155.204.034", &[]),
        ("over 255: 300.1.2.3; glued x45.155.204.234 45.155.204.234a", &[]),
        ("date 2025.10.01 and 2025.10.01.12", &[]),
        ("benign 8.8.8.8 192.168.1.1 10.0.0.5 127.0.0.1 203.0.113.7", &[]),
    ]);
}

#[test]
fn ipv6_addresses_and_look_alikes() {
    check(&[
        ("C2 2a03:b0c0:3:d0::1a51:c001 up", &[("ipv6", "2a03:b0c0:3:d0::1a51:c001")]),
        ("full 2606:4700:0000:0000:0000:0000:6810:85e5.", &[("ipv6", "2606:4700::6810:85e5")]),
        ("defanged 2a01[:]4f8[:]c17[:]1b2a[:][:]1", &[("ipv6", "2a01:4f8:c17:1b2a::1")]),
        ("服务器2a01:4f8:c17:1b2a::1，", &[("ipv6", "2a01:4f8:c17:1b2a::1")]),
        ("bracketed [2a01:4f8:c17:1b2a::2]:443", &[("ipv6", "2a01:4f8:c17:1b2a::2")]),
        ("times 10:30:00 and 23:59:59.999 and MAC 00:1a:2b:3c:4d:5e", &[]),
        ("C++ std::vector, Abc::Def, dead::beef, 1::2", &[]),
        ("benign ::1 fe80::1 2001:db8::1 fd00::12:34", &[]),
    ]);
}

#[test]
fn domains_and_file_names() {
    check(&[
        ("访问evil-c2.com下载", &[("domain", "evil-c2.com")]),
        ("beacon to Update-Check.NET.", &[("domain", "update-check.net")]),
        (
            "defanged bad[.]xyz, bad2(.)top and bad3[dot]ru and bad4{.}cn",
            &[("domain", "bad.xyz"), ("domain", "bad2.top"), ("domain", "bad3.ru"), ("domain", "bad4.cn")],
        ),
        ("sub.domain.co.uk and x.com.cn", &[("domain", "sub.domain.co.uk"), ("domain", "x.com.cn")]),
        ("files report.pdf setup.py README.md main.rs install.sh a.exe x.dll invoice.zip", &[]),
        (
            "file TLD but defanged evil[.]py or www.tool.sh",
            &[("domain", "evil.py"), ("domain", "www.tool.sh")],
        ),
        ("sentence glued: the malware.It spread", &[]),
        ("path /usr/lib/libevil.so and C:\\bad.com and $var.com", &[]),
        ("method call os.system( and code obj.name message.id user.email", &[]),
        ("labels: -bad.com is bad.com; a..com; unknown.tldx", &[("domain", "bad.com")]),
        ("too long label aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", &[]),
        ("benign github.com, mp.weixin.qq.com, sub.example.com, host.local, localhost", &[]),
        ("no label .com alone and Node.js, ASP.NET", &[]),
    ]);
}

#[test]
fn urls_and_their_hosts() {
    check(&[
        (
            "get https://evil.com/a/b.php?x=1.",
            &[("domain", "evil.com"), ("url", "https://evil.com/a/b.php?x=1")],
        ),
        (
            "hxxp://bad-site[.]ru/payload.bin",
            &[("domain", "bad-site.ru"), ("url", "http://bad-site.ru/payload.bin")],
        ),
        (
            "hxxps[:]//Mixed.Case.IO/Path/File",
            &[("domain", "mixed.case.io"), ("url", "https://mixed.case.io/Path/File")],
        ),
        ("HXXPS[://]c2.top/x", &[("domain", "c2.top"), ("url", "https://c2.top/x")]),
        (
            "下载地址http://dl.evil.cn/a.exe，请勿访问",
            &[("domain", "dl.evil.cn"), ("url", "http://dl.evil.cn/a.exe")],
        ),
        (
            "[link](https://evil.com/x) and [https://evil.com/y](https://evil.com/y)",
            &[("domain", "evil.com"), ("url", "https://evil.com/x"), ("url", "https://evil.com/y")],
        ),
        (
            "wiki (https://evil.org/Foo_(bar)) done",
            &[("domain", "evil.org"), ("url", "https://evil.org/Foo_(bar)")],
        ),
        (
            "<http://evil.com:8080/p> \"http://evil.net\"",
            &[
                ("domain", "evil.com"),
                ("domain", "evil.net"),
                ("url", "http://evil.com:8080/p"),
                ("url", "http://evil.net"),
            ],
        ),
        (
            "ip host http://45.155.204.234/x.sh",
            &[("ipv4", "45.155.204.234"), ("url", "http://45.155.204.234/x.sh")],
        ),
        (
            "file TLD in a URL https://tool.sh/install",
            &[("domain", "tool.sh"), ("url", "https://tool.sh/install")],
        ),
        (
            "hash in URL https://evil.com/d41d8cd98f00b204e9800998ecf8427f",
            &[("domain", "evil.com"), ("url", "https://evil.com/d41d8cd98f00b204e9800998ecf8427f")],
        ),
        ("no host http:// or http://intranet/ or gopher://evil.com", &[("domain", "evil.com")]),
        (
            "benign https://github.com/org/repo and https://nvd.nist.gov/vuln/detail/CVE-2024-3400",
            &[("cve", "CVE-2024-3400")],
        ),
    ]);
}

#[test]
fn emails() {
    check(&[
        ("mail Admin.Ops+x@Evil-Corp.com now", &[("email", "admin.ops+x@evil-corp.com")]),
        (
            "defanged phish[@]bad.ru and phish2[at]bad.cn and p3(at)bad.top",
            &[("email", "p3@bad.top"), ("email", "phish2@bad.cn"), ("email", "phish@bad.ru")],
        ),
        ("联系邮箱hacker@mail.ru。", &[("email", "hacker@mail.ru")]),
        ("not mail: @handle, user@host, a@b.c, git@ notes", &[]),
        ("benign security@microsoft.com and root@localhost", &[]),
        (
            "escaped \\u00a0crypt-info@xmpp.jp and \\nops@bad.ru",
            &[("email", "crypt-info@xmpp.jp"), ("email", "ops@bad.ru")],
        ),
    ]);
}

#[test]
fn hashes() {
    let md5 = "5f4dcc3b5aa765d61d8327deb882cf99";
    let sha1 = "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12";
    let sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    check(&[
        (&format!("md5 {md5} sha1 {sha1}"), &[("md5", md5), ("sha1", sha1)]),
        (&format!("SHA256:{}。", sha256.to_uppercase()), &[("sha256", sha256)]),
        (&format!("样本哈希{sha256}已上传"), &[("sha256", sha256)]),
        ("all digits 12345678901234567890123456789012 all letters abcdefabcdefabcdefabcdefabcdefab", &[]),
        (&format!("wrong length {}", &md5[..31]), &[]),
        (&format!("glued x{md5} {md5}g 0x{sha1}"), &[]),
        (
            "empty file d41d8cd98f00b204e9800998ecf8427e e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            &[],
        ),
    ]);
}

#[test]
fn own_site_links_are_not_indicators() {
    let url = Some("https://www.securitynews.com.cn/2024/01/post.html");
    let text = "see https://www.securitynews.com.cn/other and img.securitynews.com.cn, mail tips@securitynews.com.cn; bad.com";
    assert_eq!(found(text, url), vec![("domain".to_string(), "bad.com".to_string())]);
}

#[test]
fn refang_rules_and_idempotence() {
    assert_eq!(refang("hxxp://a[.]b(.)c{.}d[dot]e(DOT)f"), "http://a.b.c.d.e.f");
    assert_eq!(refang("x[@]y x[at]y x(at)y hXXps[:]//z [://]"), "x@y x@y x@y hTTps://z ://");
    assert_eq!(refang("[[.]]"), ".");
    assert_eq!(refang(&refang("[[.]]")), refang("[[.]]"));
    assert!(matches!(refang("plain text [link](url)"), std::borrow::Cow::Borrowed(_)));
}

#[test]
fn defang_refangs_back() {
    for (kind, v) in [
        (Kind::Url, "https://evil.com/a.php"),
        (Kind::Domain, "evil.com"),
        (Kind::Ipv4, "45.155.204.234"),
        (Kind::Ipv6, "2a01:4f8::1"),
        (Kind::Email, "a.b@evil.com"),
    ] {
        let d = defang(kind, v);
        assert_ne!(d, v);
        assert_eq!(refang(&d), v);
    }
    assert_eq!(defang(Kind::Url, "http://a.com"), "hxxp://a[.]com");
}

#[test]
fn normalize_query_matches_extracted_values() {
    assert_eq!(normalize_query(Some(Kind::Cve), "cve_2024_3400"), "CVE-2024-3400");
    assert_eq!(normalize_query(None, "cve–2024–3400"), "CVE-2024-3400");
    assert_eq!(normalize_query(None, "Evil[.]COM"), "evil.com");
    assert_eq!(normalize_query(None, "t1059.001"), "T1059.001");
    assert_eq!(normalize_query(None, "hxxps://Evil.com/A"), "https://evil.com/A");
    assert_eq!(normalize_query(None, "2A01:04f8::0001"), "2a01:4f8::1");
    assert_eq!(cve_year("CVE-2024-3400"), Some(2024));
}

#[test]
fn warninglist_yaml() {
    let list = Warninglist::from_yaml(
        "ipv4_ranges: [45.155.0.0/16]\nipv6_ranges: ['2a01::/16']\ndomains: ['*.corp', evil.com]\nvalues: {sha1: [2FD4E1C67A2D28FCED849EE1BB76E7391B93EB12]}\n",
    )
    .unwrap();
    assert!(list.is_benign(Kind::Ipv4, "45.155.204.234"));
    assert!(!list.is_benign(Kind::Ipv4, "45.156.0.1"));
    assert!(list.is_benign(Kind::Ipv6, "2a01:4f8::1"));
    assert!(list.is_benign(Kind::Domain, "a.b.corp"));
    assert!(list.is_benign(Kind::Domain, "cdn.evil.com"));
    assert!(!list.is_benign(Kind::Domain, "notevil.com"));
    assert!(list.is_benign(Kind::Url, "http://cdn.evil.com/x"));
    assert!(list.is_benign(Kind::Email, "a@evil.com"));
    assert!(list.is_benign(Kind::Sha1, "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"));
    let mut builtin = Warninglist::builtin();
    assert!(!builtin.is_benign(Kind::Domain, "evil.com"));
    builtin.extend(list);
    assert!(builtin.is_benign(Kind::Domain, "evil.com") && builtin.is_benign(Kind::Ipv4, "8.8.8.8"));
    for (bad, reason) in [
        ("ipv4_ranges: [10.0.0.0/33]", "prefix length"),
        ("ipv4_ranges: [10.0.0/8]", "bad IPv4 range"),
        ("ipv6_ranges: [zz::/8]", "bad IPv6 range"),
        ("values: {sha512: [ab]}", "unknown kind"),
        ("domain: [x.com]", "unknown field"),
        ("ipv4_ranges: [", "invalid warninglist"),
    ] {
        let e = Warninglist::from_yaml(bad).unwrap_err().to_string();
        assert!(e.contains(reason) && !e.contains('\n'), "{bad:?}: {e}");
    }
    assert!(Warninglist::from_yaml(BUILTIN_WARNINGLIST).is_ok());
    assert!(Warninglist::from_yaml("").is_ok());
}

mod props {
    use proptest::prelude::*;

    use super::super::*;

    /// Text built from the pieces indicators and their traps are made of, so the generator
    /// reaches the scanner's corners (plain random strings rarely hold `[.]` or a dotted quad).
    fn pieces() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("[.]".to_string()),
            Just("(.)".to_string()),
            Just("[dot]".to_string()),
            Just("[@]".to_string()),
            Just("[:]".to_string()),
            Just("hxxp".to_string()),
            Just("://".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just(".".to_string()),
            Just(":".to_string()),
            Just("@".to_string()),
            Just("CVE-2024-".to_string()),
            Just("T1059".to_string()),
            Just("访问".to_string()),
            Just("，".to_string()),
            Just("－".to_string()),
            Just("ｅ".to_string()),
            Just("\\u00a0".to_string()),
            "[0-9]{1,4}",
            "[a-f0-9]{30,66}",
            "[a-zA-Z-]{1,8}",
            Just("com".to_string()),
            Just("py".to_string()),
            Just("www".to_string()),
            Just(" ".to_string()),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn refang_is_idempotent(text in pieces()) {
            let once = refang(&text).into_owned();
            prop_assert_eq!(refang(&once).into_owned(), once);
        }

        #[test]
        fn refang_is_idempotent_on_any_string(text in any::<String>()) {
            let once = refang(&text).into_owned();
            prop_assert_eq!(refang(&once).into_owned(), once);
        }

        #[test]
        fn extraction_never_panics_and_values_are_normal(text in pieces(), any_text in any::<String>()) {
            let ex = Extractor::builtin();
            for t in [&text, &any_text] {
                for e in ex.extract(t, &Context { url: Some("https://news.example.cn/a") }) {
                    prop_assert!(e.count >= 1);
                    // A value is its own query form, and its defanged form refangs back to it.
                    prop_assert_eq!(&normalize_query(Some(e.kind), &e.value), &e.value, "{:?}", e);
                    prop_assert_eq!(refang(&defang(e.kind, &e.value)).into_owned(), e.value.clone());
                }
            }
        }

        #[test]
        fn defang_refangs_back(label in "[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", tld in "(com|net|ru|cn|xyz)",
                               path in "(/[A-Za-z0-9._~-]{0,12}){0,3}", octets in prop::array::uniform4(0u8..=255)) {
            let domain = format!("{label}.{tld}");
            let ip = std::net::Ipv4Addr::from(octets).to_string();
            let v6 = std::net::Ipv6Addr::from(u128::from_be_bytes([octets[0]; 16])).to_string();
            for (kind, value) in [
                (Kind::Domain, domain.clone()),
                (Kind::Url, format!("https://{domain}{path}")),
                (Kind::Url, format!("ftp://{ip}{path}")),
                (Kind::Email, format!("{label}@{domain}")),
                (Kind::Ipv4, ip.clone()),
                (Kind::Ipv6, v6),
            ] {
                prop_assert_eq!(refang(&defang(kind, &value)).into_owned(), value);
            }
        }
    }
}
