--
-- PostgreSQL database dump
--

\restrict Ez5gcnHOkRuebEbbW2vHphoe0F4bQkIIwK5MGUCWIakyh6KtA3szNEXPMaKHzVX

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: casecoach_meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.casecoach_meta (
    key character varying(64) NOT NULL,
    value character varying(255) NOT NULL
);


--
-- Name: drafts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.drafts (
    id integer NOT NULL,
    owner character varying(200) NOT NULL,
    kind character varying(64) NOT NULL,
    item character varying(200) NOT NULL,
    body text NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: drafts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.drafts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: drafts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.drafts_id_seq OWNED BY public.drafts.id;


--
-- Name: drafts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drafts ALTER COLUMN id SET DEFAULT nextval('public.drafts_id_seq'::regclass);


--
-- Data for Name: casecoach_meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.casecoach_meta VALUES ('schema_version', '1');


--
-- Data for Name: drafts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.drafts VALUES (1, 'ana', 'chart', 'marcus-art', '{"now": "Sleeps on his sister Denise’s couch <b>for now</b>", "v": 2}', '2026-12-01 17:49:47.61531+00');
INSERT INTO public.drafts VALUES (2, 'ben', 'goal', 'rg-housing', '{"text": "Within 4 weeks, Marcus will apply to 3 programs."}', '2026-12-01 17:49:47.616407+00');


--
-- Name: drafts_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.drafts_id_seq', 2, true);


--
-- Name: casecoach_meta casecoach_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.casecoach_meta
    ADD CONSTRAINT casecoach_meta_pkey PRIMARY KEY (key);


--
-- Name: drafts drafts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drafts
    ADD CONSTRAINT drafts_pkey PRIMARY KEY (id);


--
-- Name: drafts uq_draft; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drafts
    ADD CONSTRAINT uq_draft UNIQUE (owner, kind, item);


--
-- PostgreSQL database dump complete
--

\unrestrict Ez5gcnHOkRuebEbbW2vHphoe0F4bQkIIwK5MGUCWIakyh6KtA3szNEXPMaKHzVX

