/**
 * Reading what senders deliver into the pure trigger vocabulary: what each container registry sends
 * when an image is pushed (Distribution, Docker Hub, Harbor, Quay, GitHub, Gitea/Forgejo, ACR,
 * JFrog, Google Artifact Registry), with their secrets and signatures checked, and what Watchtower
 * reports (legacy lines, report text, json.v1, shoutrrr's json wrapper). It decides nothing about
 * groups; it only says which pushes and notices a delivery holds and why the rest was ignored.
 */
package dev.holdfast.hook;
