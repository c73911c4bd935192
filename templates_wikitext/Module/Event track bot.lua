-- Module:Event track bot: the overview, the navigation box and the signup counts of an event,
-- rendered from its JSON data page (written by wmstrategybot), in the reader's language.
-- Installed by `wmstrategybot templates sync`; a bot's copy: changes go to the project.
--
--   {{#invoke:Event track bot|sessions|data=<data page>}}                    the overview's list
--   {{#invoke:Event track bot|navbox|data=<data page>|title=|summary=|overview=|signups=|navbox=|layout=}}
--   {{#invoke:Event track bot|signups|data=<data page>}}                     the signup counts
--   optional on each: lang=<code> (default: the /xx of a translation page, else the page's language)
--
-- The same templates draw both render modes (Template:Event track session, navbox, navbox day,
-- signup count): the module passes them what the bot's wikitext would, so the pages look the same.
-- Session titles, names and every value read from the data page are shown as text, never as markup,
-- but for a session's summary: its links and bold stay, as in the wikitext mode (summary_text).

local p = {}

-- Interface words. Session titles stay as written; a missing language falls back to English.
local MESSAGES = {
	en = {
		day = 'Day $1', summary = 'flow of activities (and this report)',
		signup = 'Sign up for a working group', area = 'Area', members = 'Members', withdrawn = 'Withdrawn',
		languages = 'Languages', latest = 'Latest signup', unsorted = "(rows in no area's section)",
		nodata = 'The data page [[$1]] cannot be read yet: the bot writes it at its next run.',
	},
	de = {
		day = 'Tag $1', summary = 'Ablauf (und dieser Bericht)',
		signup = 'Für eine Arbeitsgruppe eintragen', area = 'Bereich', members = 'Mitglieder',
		withdrawn = 'Zurückgezogen', languages = 'Sprachen', latest = 'Letzte Eintragung',
		unsorted = '(Zeilen ohne Abschnitt eines Bereichs)',
		nodata = 'Die Datenseite [[$1]] kann noch nicht gelesen werden: der Bot schreibt sie bei seinem nächsten Lauf.',
	},
	fr = {
		day = 'Jour $1', summary = 'déroulé des activités (et ce compte rendu)',
		signup = "S'inscrire dans un groupe de travail", area = 'Domaine', members = 'Membres', withdrawn = 'Retirés',
		languages = 'Langues', latest = 'Dernière inscription', unsorted = "(lignes hors de la section d'un domaine)",
		nodata = 'La page de données [[$1]] ne peut pas encore être lue : le bot l’écrit à son prochain passage.',
	},
	es = {
		day = 'Día $1', summary = 'desarrollo de las actividades (y este informe)',
		signup = 'Inscribirse en un grupo de trabajo', area = 'Área', members = 'Miembros', withdrawn = 'Retirados',
		languages = 'Idiomas', latest = 'Última inscripción', unsorted = '(filas fuera de la sección de un área)',
		nodata = 'La página de datos [[$1]] aún no se puede leer: el bot la escribe en su próxima ejecución.',
	},
}
p.MESSAGES = MESSAGES

-- the reading language: lang=, else the /xx of a translation page, else the page's language
local function language(frame)
	local given = frame.args.lang
	if given and given ~= '' and MESSAGES[given] then
		return given
	end
	local title = mw.title.getCurrentTitle()
	if title.isSubpage and mw.language.isKnownLanguageTag(title.subpageText) then
		return title.subpageText
	end
	local ok, lang = pcall(function() return title.pageLang:getCode() end)
	if ok and lang then
		return lang
	end
	return mw.language.getContentLanguage():getCode()
end

local function message(lang, key, ...)
	local table_ = MESSAGES[lang] or MESSAGES[lang:match('^(%a+)%-') or ''] or MESSAGES.en
	local text = table_[key] or MESSAGES.en[key]
	local args = { ... }
	return (text:gsub('%$(%d)', function(n) return args[tonumber(n)] or '' end))
end
p.message = message

-- what people wrote, shown as the characters written: every character markup starts with is a
-- character reference, a new line a space
local function text(value)
	value = tostring(value or ''):gsub('[\r\n\t]+', ' ')
	return (value:gsub("[&<>%[%]{}|'~_=*#:;!%-\"]", function(c) return '&#' .. string.byte(c) .. ';' end))
end
p.text = text

-- a session's summary as the wikitext mode shows it: links, bold, lists and HTML kept; made text,
-- what would change the page it lands on: a template's braces, a behaviour switch (__NOTOC__), a
-- heading, a category, file or interlanguage link (as [[:Category:X]])
local LINKED_ONLY = { category = true, file = true, image = true, media = true }
local function summary_text(value)
	value = tostring(value or ''):gsub('[{}]', function(c) return '&#' .. string.byte(c) .. ';' end)
	value = value:gsub('__', '_&#95;')
	value = ('\n' .. value):gsub('\n=', '\n&#61;'):sub(2)
	return (value:gsub('%[%[(%s*)([^%]|:\n]*):', function(space, prefix)
		local name = mw.text.trim(prefix):lower()
		if LINKED_ONLY[name] or (name ~= '' and mw.language.isKnownLanguageTag(name)) then
			return '[[:' .. space .. prefix .. ':'
		end
	end))
end
p.summary_text = summary_text

-- a link target, as the bot writes it: what could end the link or the template is percent-encoded
local function target(page, anchor)
	local t = page or ''
	if anchor and anchor ~= '' then
		t = t .. '#' .. anchor
	end
	return (t:gsub('[%[%]{}|<>~\n]', function(c) return string.format('%%%02X', string.byte(c)) end))
end

local function link(page, anchor, label)
	if not label or label == '' then
		return '[[' .. target(page, anchor) .. ']]'
	end
	return '[[' .. target(page, anchor) .. '|' .. text(label) .. ']]'
end

-- the event's data: mw.loadJsonData where the wiki has it (MediaWiki 1.40+), else the page decoded
local function load(title)
	if not title or title == '' then
		return nil
	end
	local data
	if mw.loadJsonData then
		local ok, value = pcall(mw.loadJsonData, title)
		data = ok and value or nil
	else
		local page = mw.title.new(title)
		local content = page and page:getContent()
		if content then
			local ok, value = pcall(mw.text.jsonDecode, content)
			data = ok and value or nil
		end
	end
	if type(data) ~= 'table' then
		return nil
	end
	return type(data.data) == 'table' and data.data or data
end

local function missing(lang, title)
	return '<span class="error event-track-missing">' .. message(lang, 'nodata', title or '?') .. '</span>'
end

-- the day page in the reader's language where a translation exists (Day 1/de), else the page
local translated = {}
local function day_page(page, lang)
	if not page or lang == mw.language.getContentLanguage():getCode() then
		return page
	end
	local key = page .. '/' .. lang
	if translated[key] == nil then
		local t = mw.title.new(key)
		translated[key] = t ~= nil and t.exists
	end
	return translated[key] and key or page
end

local function template(frame, name, args)
	return frame:expandTemplate { title = name, args = args }
end

-- each session's parts as the overview lists them: "# title" lines
local function parts_of(session)
	local lines = {}
	for _, part in ipairs(session.parts or {}) do
		lines[#lines + 1] = '# ' .. text(part.title)
	end
	return table.concat(lines, '\n')
end

local function day_label(lang, day)
	return message(lang, 'day', tostring(day.number))
end

-- the overview's list: a heading per day, a session a call of Template:Event track session
function p.sessions(frame)
	local lang = language(frame)
	local data = load(frame.args.data)
	if not data then
		return missing(lang, frame.args.data)
	end
	local by_day = {}
	for _, s in ipairs(data.sessions or {}) do
		by_day[s.day] = by_day[s.day] or {}
		table.insert(by_day[s.day], s)
	end
	local out = {}
	for _, day in ipairs(data.days or {}) do
		local label = day_label(lang, day)
		if day.date_text and day.date_text ~= '' then
			label = label .. ': ' .. text(day.date_text)
		end
		out[#out + 1] = '\n== ' .. label .. ' ==\n'
		for _, s in ipairs(by_day[day.number] or {}) do
			local source = s.source or {}
			out[#out + 1] = template(frame, 'Event track session', {
				number = tostring(s.number), code = s.code, day = tostring(s.day), title = text(s.title),
				time = s.time and text(s.time) or nil, page = target(day_page(source.page, lang)),
				anchor = source.anchor and target(nil, source.anchor):sub(2) or nil,
				summary = s.summary and s.summary ~= '' and summary_text(s.summary) or nil,
				parts = parts_of(s) ~= '' and parts_of(s) or nil,
			})
		end
	end
	return table.concat(out, '\n')
end

-- the navigation box, after Meta's navbox conventions: the title links the overview, a group per
-- day (its label links the Day page, its links an hlist), a signup link, V·T·E links to the navbox
-- page (navbox=, else the page that calls the module); the link to the page read is its self-link
function p.navbox(frame)
	local args = frame.args
	local lang = language(frame)
	local data = load(args.data)
	if not data then
		return missing(lang, args.data)
	end
	local layout = args.layout ~= '' and args.layout or nil
	local by_day = {}
	for _, s in ipairs(data.sessions or {}) do
		by_day[s.day] = by_day[s.day] or {}
		table.insert(by_day[s.day], s)
	end
	local rows = {}
	for _, day in ipairs(data.days or {}) do
		local items = {}
		for _, s in ipairs(by_day[day.number] or {}) do
			local source = s.source or {}
			items[#items + 1] = '* ' .. link(day_page(source.page, lang), source.anchor, s.title)
		end
		for _, a in ipairs(day.appendices or {}) do
			items[#items + 1] = '* ' .. link(day_page(day.page, lang), a.anchor, a.title)
		end
		rows[#rows + 1] = template(frame, 'Event track navbox day', {
			label = day_label(lang, day), page = day.page and target(day_page(day.page, lang)) or nil,
			layout = layout, list = table.concat(items, '\n'),
		})
	end
	local name = args.title ~= '' and args.title or text((data.event or {}).name)
	local navbox = args.navbox ~= '' and args.navbox or nil
	if not navbox then
		local parent = frame:getParent()
		navbox = parent and parent:getTitle() or mw.title.getCurrentTitle().prefixedText
	end
	return template(frame, 'Event track navbox', {
		title = name, summary = args.summary, overview = args.overview, signups = args.signups, navbox = navbox,
		layout = layout, summary_label = message(lang, 'summary'), signups_label = message(lang, 'signup'),
		days = '\n' .. table.concat(rows, '\n'),
	})
end

-- the signup counts: per area, members, withdrawn, languages and the latest signup
-- (a language cell's words as the bot's wikitext mode keeps them: no markup, light punctuation)
local function plain_words(value)
	value = value:gsub('{{.-}}', ' '):gsub('<!%-%-.-%-%->', ' '):gsub('%[%[%s*[Cc]ategory%s*:[^%]]*%]%]', ' ')
	value = value:gsub('%[%[[^|%]]*|([^%]]*)%]%]', '%1'):gsub('%[%[([^%]]*)%]%]', '%1')
	value = mw.ustring.gsub(value, '[^%w%s%.,;%(%)/%+%-]', ' ')
	return mw.text.trim((value:gsub('%s+', ' ')))
end

local function languages_of(signups)
	local found, seen = {}, {}
	for _, s in ipairs(signups) do
		for key, value in pairs(s.fields or {}) do
			if type(value) == 'string' and (key:lower():match('^language') or key:lower():match('^lang')) then
				local words = plain_words(value):gsub(' and ', ',')
				for lang in mw.text.gsplit(words, '[,;/]') do
					lang = mw.text.trim(lang, ' .()+-')
					if lang ~= '' and not seen[lang] then
						seen[lang] = true
						found[#found + 1] = lang
					end
				end
			end
		end
	end
	table.sort(found, function(a, b) return mw.ustring.lower(a) < mw.ustring.lower(b) end)
	return text(table.concat(found, ', '))
end

function p.signups(frame)
	local lang = language(frame)
	local data = load(frame.args.data)
	if not data then
		return missing(lang, frame.args.data)
	end
	local groups = {}
	for _, g in ipairs(data.working_groups or {}) do
		groups[#groups + 1] = { g.area, g.signups or {} }
	end
	if data.unsorted and #data.unsorted > 0 then
		groups[#groups + 1] = { message(lang, 'unsorted'), data.unsorted }
	end
	local rows = {}
	for _, g in ipairs(groups) do
		local users, members, withdrawn, latest, active = {}, 0, 0, '', {}
		for _, s in ipairs(g[2]) do
			if s.withdrawn then
				withdrawn = withdrawn + 1
			else
				active[#active + 1] = s
				local who = s.user or s.signature or ''
				if not users[who] then
					users[who] = true
					members = members + 1
				end
			end
			if s.timestamp and s.timestamp > latest then
				latest = s.timestamp
			end
		end
		rows[#rows + 1] = template(frame, 'Event track signup count', {
			area = text(g[1]), members = tostring(members), withdrawn = tostring(withdrawn),
			languages = languages_of(active), latest = latest:sub(1, 10),
		})
	end
	return '{| class="wikitable sortable"\n! ' .. message(lang, 'area') .. ' !! ' .. message(lang, 'members')
		.. ' !! ' .. message(lang, 'withdrawn') .. ' !! ' .. message(lang, 'languages') .. ' !! '
		.. message(lang, 'latest') .. table.concat(rows, '') .. '\n|}'
end

return p
