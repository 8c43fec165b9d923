// Prints libsession's output for fixed inputs as JSON, to pin Starling's groups code to it.
#include <oxenc/hex.h>
#include <oxenc/base64.h>
#include <sodium.h>
#include <session/config/groups/info.hpp>
#include <session/config/groups/keys.hpp>
#include <session/config/groups/members.hpp>
#include <session/multi_encrypt.hpp>
#include <cstdio>
#include <iostream>
#include <list>
#include <map>
#include <string>
#include <vector>

using namespace session;
using namespace session::config;
extern std::map<std::string, std::array<unsigned char, 32>> known_ed;

static ustring hexb(std::string_view h) { ustring o; oxenc::from_hex(h.begin(), h.end(), std::back_inserter(o)); return o; }
static std::string hex(ustring_view v) { return oxenc::to_hex(v.begin(), v.end()); }
static std::string hex(std::string_view v) { return oxenc::to_hex(v.begin(), v.end()); }

struct Client {
    std::array<unsigned char, 64> sk;
    std::array<unsigned char, 32> pk;
    std::string sid;
    Client(std::string_view seed_hex) {
        auto seed = hexb(seed_hex);
        crypto_sign_ed25519_seed_keypair(pk.data(), sk.data(), seed.data());
        std::array<unsigned char, 32> x;
        crypto_sign_ed25519_pk_to_curve25519(x.data(), pk.data());
        sid = "05" + oxenc::to_hex(x.begin(), x.end());
        known_ed[std::string(reinterpret_cast<const char*>(x.data()), 32)] = pk;
    }
    ustring_view skv() const { return {sk.data(), 64}; }
};

static bool first = true;
static void out(const std::string& k, const std::string& v) {
    std::cout << (first ? "{\n" : ",\n") << "  \"" << k << "\": \"" << v << "\"";
    first = false;
}

int main() {
    if (sodium_init() < 0) return 1;
    const int64_t T0 = 1700000000000;
    auto group_seed = hexb("0123456789abcdeffedcba98765432100123456789abcdeffedcba9876543210");
    std::array<unsigned char, 32> gpk; std::array<unsigned char, 64> gsk;
    crypto_sign_ed25519_seed_keypair(gpk.data(), gsk.data(), group_seed.data());
    ustring_view gpkv{gpk.data(), 32}, gskv{gsk.data(), 64};
    Client admin{"0123456789abcdef0123456789abcdeffedcba9876543210fedcba9876543210"};
    std::vector<Client> mem{
        Client{"000111222333444555666777888999aaabbbcccdddeeefff0123456789abcdef"},
        Client{"00011122435111155566677788811263446552465222efff0123456789abcdef"},
        Client{"00011129824754185548239498168169316979583253efff0123456789abcdef"},
        Client{"0000111122223333444455556666777788889999aaaabbbbccccddddeeeeffff"}};
    out("group_id", "03" + hex(gpkv));
    out("admin_session_id", admin.sid);
    for (size_t i = 0; i < mem.size(); i++) out("member" + std::to_string(i) + "_session_id", mem[i].sid);

    groups::Info info{gpkv, gskv, std::nullopt};
    groups::Members members{gpkv, gskv, std::nullopt};
    groups::Keys keys{admin.skv(), gpkv, gskv, std::nullopt, info, members};

    // generation 0: no members yet
    ustring k0{keys.rekey(info, members)};
    out("keys_gen0", hex(k0));
    out("enc_key_gen0", hex(keys.group_enc_key()));
    keys.load_key_message("keyhash0", k0, T0, info, members);

    // generation 1: the admin and four members
    {
        auto m = members.get_or_construct(admin.sid);
        m.admin = true; m.name = "Admin1"; members.set(m);
    }
    for (size_t i = 0; i < mem.size(); i++) {
        auto m = members.get_or_construct(mem[i].sid);
        m.name = "Member" + std::to_string(i);
        if (i == 0) { m.set_invite_sent(); m.supplement = true; }
        if (i == 1) { m.set_invite_failed(); m.profile_picture = profile_pic{"http://example.com/member1.jpg", hexb(std::string(64, 'a'))}; }
        if (i == 3) m.set_promotion_sent();
        members.set(m);
    }
    ustring k1{keys.rekey(info, members)};
    out("keys_gen1", hex(k1));
    out("enc_key_gen1", hex(keys.group_enc_key()));
    info.set_name("tomatosauce");
    info.set_description("this is where you go to play in the tomato sauce, I guess");
    info.set_created(1680064059);
    info.set_expiry_timer(std::chrono::seconds{3600});
    info.set_profile_pic("http://example.com/group.png", hexb(std::string(64, 'b')));
    auto [iseq1, idata1, iobs1] = info.push();
    out("info_gen1_seqno", std::to_string(iseq1));
    out("info_gen1", hex(idata1));
    info.confirm_pushed(iseq1, "infohash1");
    auto [mseq1, mdata1, mobs1] = members.push();
    out("members_gen1_seqno", std::to_string(mseq1));
    out("members_gen1", hex(mdata1));
    members.confirm_pushed(mseq1, "memhash1");
    keys.load_key_message("keyhash1", k1, T0 + 1000, info, members);

    // a supplement giving member0 the keys it already has
    out("supplement_member0", hex(keys.key_supplement(mem[0].sid)));

    // generation 2: members 2 and 3 removed
    members.erase(mem[3].sid);
    members.erase(mem[2].sid);
    ustring k2{keys.rekey(info, members)};
    out("keys_gen2", hex(k2));
    out("enc_key_gen2", hex(keys.group_enc_key()));
    auto [iseq2, idata2, iobs2] = info.push();
    out("info_gen2_seqno", std::to_string(iseq2));
    out("info_gen2", hex(idata2));
    auto [mseq2, mdata2, mobs2] = members.push();
    out("members_gen2_seqno", std::to_string(mseq2));
    out("members_gen2", hex(mdata2));
    keys.load_key_message("keyhash2", k2, T0 + 2000, info, members);
    out("admin_keys_dump", hex(keys.make_dump()));

    // messages encrypted by the admin and by member0 (random nonces: decrypt vectors)
    out("message_plain", hex(to_unsigned_sv("hello group")));
    out("message_by_admin", hex(keys.encrypt_message(to_unsigned_sv("hello group"))));
    std::string longtext(2000, 'x');
    out("message_long_plain_len", std::to_string(longtext.size()));
    out("message_long_by_admin", hex(keys.encrypt_message(to_unsigned_sv(longtext))));

    // member0 reading the key messages
    {
        groups::Info minfo{gpkv, std::nullopt, std::nullopt};
        groups::Members mmembers{gpkv, std::nullopt, std::nullopt};
        groups::Keys mkeys{mem[0].skv(), gpkv, std::nullopt, std::nullopt, minfo, mmembers};
        bool f0 = mkeys.load_key_message("keyhash0", k0, T0, minfo, mmembers);
        bool f1 = mkeys.load_key_message("keyhash1", k1, T0 + 1000, minfo, mmembers);
        bool f2 = mkeys.load_key_message("keyhash2", k2, T0 + 2000, minfo, mmembers);
        out("member0_found", std::string(f0 ? "1" : "0") + (f1 ? "1" : "0") + (f2 ? "1" : "0"));
        out("member0_keys_dump", hex(mkeys.make_dump()));
        out("message_by_member0", hex(mkeys.encrypt_message(to_unsigned_sv("hello from member0"))));
        std::vector<std::pair<std::string, ustring_view>> confs{{"infohash2", idata2}};
        minfo.merge(confs);
        out("member0_info_name", std::string(*minfo.get_name()));
    }
    {
        groups::Info minfo{gpkv, std::nullopt, std::nullopt};
        groups::Members mmembers{gpkv, std::nullopt, std::nullopt};
        groups::Keys mkeys{mem[3].skv(), gpkv, std::nullopt, std::nullopt, minfo, mmembers};
        bool f1 = mkeys.load_key_message("keyhash1", k1, T0 + 1000, minfo, mmembers);
        bool f2 = mkeys.load_key_message("keyhash2", k2, T0 + 2000, minfo, mmembers);
        out("member3_found", std::string(f1 ? "1" : "0") + (f2 ? "1" : "0"));
    }

    // subaccounts
    auto auth0 = keys.swarm_make_subaccount(mem[0].sid);
    out("subaccount_auth_member0", hex(auth0));
    out("subaccount_token_member0", hex(keys.swarm_subaccount_token(mem[0].sid)));
    auto auth1 = keys.swarm_make_subaccount(mem[1].sid, false, true);
    out("subaccount_auth_member1_read_delete", hex(auth1));
    out("subaccount_token_member1_read_delete", hex(keys.swarm_subaccount_token(mem[1].sid, false, true)));
    {
        groups::Info minfo{gpkv, std::nullopt, std::nullopt};
        groups::Members mmembers{gpkv, std::nullopt, std::nullopt};
        groups::Keys mkeys{mem[0].skv(), gpkv, std::nullopt, std::nullopt, minfo, mmembers};
        auto a = mkeys.swarm_subaccount_sign(to_unsigned_sv("retrieve111700000000000"), auth0, true);
        out("subaccount_sign_member0_text", "retrieve111700000000000");
        out("subaccount_sign_member0_subaccount", hex(a.subaccount));
        out("subaccount_sign_member0_subaccount_sig", hex(a.subaccount_sig));
        out("subaccount_sign_member0_signature", hex(a.signature));
    }

    // kicked message for members 2 and 3 (fixed nonce)
    {
        auto nonce = hexb("000102030405060708090a0b0c0d0e0f1011121314151617");
        std::vector<ustring> msgs;
        std::vector<ustring> recips;
        for (int i : {2, 3}) {
            auto x = hexb(mem[i].sid.substr(2));
            recips.push_back(x);
            ustring m = x; m += to_unsigned_sv("2");
            msgs.push_back(m);
        }
        std::vector<ustring_view> mv(msgs.begin(), msgs.end()), rv(recips.begin(), recips.end());
        out("kicked_message", hex(encrypt_for_multiple_simple(mv, rv, gskv, "SessionGroupKickedMessage", ustring_view{nonce.data(), 24})));
    }

    // upstream's own swarm-authentication vector, to check this harness against it
    {
        Client m{"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"};
        auto auth = keys.swarm_make_subaccount(m.sid);
        groups::Info minfo{gpkv, std::nullopt, std::nullopt};
        groups::Members mmembers{gpkv, std::nullopt, std::nullopt};
        groups::Keys mkeys{m.skv(), gpkv, std::nullopt, std::nullopt, minfo, mmembers};
        auto a = mkeys.swarm_subaccount_sign(to_unsigned_sv("retrieve9991693340111000"), auth);
        out("upstream_check_subaccount", a.subaccount);
        out("upstream_check_signature", a.signature);
    }
    std::cout << "\n}\n";
}
