-- info_updates moves with every change of what a room's details show (the room object of
-- GET /room/:token and pollInfo), whichever code path makes it: routes, the admin command line,
-- the cleanup job (an expired room image), a ban that takes a moderator's role away, the hand-over
-- of a 05 id's roles to its blinded id. Row triggers, as upstream keeps this counter, and wider
-- than upstream's: default permissions (shown to moderators) and a room moderator's visibility
-- count too.

CREATE FUNCTION og_bump_room_info() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rooms SET info_updates = info_updates + 1
   WHERE id = CASE WHEN TG_OP = 'DELETE' THEN OLD.room ELSE NEW.room END;
  RETURN NULL;
END $$;

CREATE FUNCTION og_bump_all_rooms_info() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rooms SET info_updates = info_updates + 1;
  RETURN NULL;
END $$;

CREATE FUNCTION og_bump_own_info() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE rooms SET info_updates = info_updates + 1 WHERE id = NEW.id;
  RETURN NULL;
END $$;

-- Name, description, image (set, replaced, or cleared when its file expired) and default permissions.
CREATE TRIGGER rooms_details_changed AFTER UPDATE ON rooms FOR EACH ROW
  WHEN (NEW.name IS DISTINCT FROM OLD.name OR NEW.description IS DISTINCT FROM OLD.description
        OR NEW.image IS DISTINCT FROM OLD.image OR NEW.read <> OLD.read OR NEW.accessible <> OLD.accessible
        OR NEW.write <> OLD.write OR NEW.upload <> OLD.upload)
  EXECUTE FUNCTION og_bump_own_info();

-- Pinned messages: pin, re-pin, unpin, and a pinned post deleted.
CREATE TRIGGER pinned_messages_changed AFTER INSERT OR UPDATE OR DELETE ON pinned_messages FOR EACH ROW
  EXECUTE FUNCTION og_bump_room_info();

-- Room moderators and admins, and whether they are listed.
CREATE TRIGGER room_moderator_added AFTER INSERT ON user_permission_overrides FOR EACH ROW
  WHEN (NEW.moderator) EXECUTE FUNCTION og_bump_room_info();
CREATE TRIGGER room_moderator_changed AFTER UPDATE ON user_permission_overrides FOR EACH ROW
  WHEN (NEW.moderator <> OLD.moderator OR NEW.admin <> OLD.admin
        OR (NEW.moderator AND (NEW.visible_mod <> OLD.visible_mod OR NEW."user" <> OLD."user")))
  EXECUTE FUNCTION og_bump_room_info();
CREATE TRIGGER room_moderator_removed AFTER DELETE ON user_permission_overrides FOR EACH ROW
  WHEN (OLD.moderator) EXECUTE FUNCTION og_bump_room_info();

-- Global moderators and admins show in every room's lists.
CREATE TRIGGER global_moderator_added AFTER INSERT ON users FOR EACH ROW
  WHEN (NEW.moderator) EXECUTE FUNCTION og_bump_all_rooms_info();
CREATE TRIGGER global_moderator_changed AFTER UPDATE ON users FOR EACH ROW
  WHEN (NEW.moderator <> OLD.moderator OR NEW.admin <> OLD.admin
        OR ((NEW.moderator OR OLD.moderator) AND NEW.visible_mod <> OLD.visible_mod))
  EXECUTE FUNCTION og_bump_all_rooms_info();
CREATE TRIGGER global_moderator_removed AFTER DELETE ON users FOR EACH ROW
  WHEN (OLD.moderator) EXECUTE FUNCTION og_bump_all_rooms_info();
